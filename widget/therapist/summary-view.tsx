// The summary after the call, as a chunk of its own: during the call the therapist's page downloads only the strip
// and the pacing engine; therapist.tsx fetches this at mount, in the background, so it is there when the call ends.
export { PacingSection } from './pacing-section.tsx';
export { SummaryCard } from './summary-card.tsx';
