-- Platforms, their signing keys and their allowed origins.
-- A platform id is issued by Attune (`plt_...`); it is not an identifier the platform gave us.

CREATE TABLE platforms (
  id TEXT PRIMARY KEY,
  -- The organisation's display name (not a person's).
  name TEXT NOT NULL,
  -- JSON: { cues?: Partial<CueSettings>, flags?: Partial<FlagRules>, instruments?: Instrument[] }
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  retention_days INTEGER NOT NULL DEFAULT 365 CHECK (retention_days > 0),
  created_at INTEGER NOT NULL
);

-- EdDSA keys store only the public JWK; HS256 keys store the shared secret (>= 32 bytes).
-- The algorithm is pinned here and never read from a token header.
CREATE TABLE platform_keys (
  kid TEXT PRIMARY KEY,
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  alg TEXT NOT NULL CHECK (alg IN ('EdDSA', 'HS256')),
  public_jwk TEXT CHECK (public_jwk IS NULL OR json_valid(public_jwk)),
  secret TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  CHECK ((alg = 'EdDSA' AND public_jwk IS NOT NULL AND secret IS NULL)
      OR (alg = 'HS256' AND secret IS NOT NULL AND length(secret) >= 32 AND public_jwk IS NULL))
);
CREATE INDEX platform_keys_platform ON platform_keys (platform_id);

CREATE TABLE platform_origins (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  origin TEXT NOT NULL,
  PRIMARY KEY (platform_id, origin)
) WITHOUT ROWID;
CREATE INDEX platform_origins_origin ON platform_origins (origin);
