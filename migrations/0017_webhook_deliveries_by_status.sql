-- GET /v1/webhooks/deliveries?status=dead (and `npm run platform -- webhook-dead`) lists a platform's dead deliveries
-- however many newer ones came since; before, the list held only the 100 most recent deliveries, so a dead one
-- behind 100 newer deliveries could not be found to replay. This index reads them without scanning the others.
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (platform_id, status, updated_at);
