-- Sessions, ratings and pacing aggregates. Every ref the platform gave (session, therapist, client) is
-- stored only as a keyed hash: HMAC-SHA256 under a per-platform key derived (HKDF) from REF_HASH_SECRET.
-- Therapist and client hashes are copied onto ratings and pacing so that per-therapist-per-day rollups,
-- trends and erasure by client need no join and no rewrite of these tables.

CREATE TABLE sessions (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  sid_hash TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  scheduled_start INTEGER,
  scheduled_end INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, sid_hash)
) WITHOUT ROWID;
CREATE INDEX sessions_client ON sessions (platform_id, client_hash, created_at);
CREATE INDEX sessions_therapist ON sessions (platform_id, therapist_hash, created_at);

-- Exactly one rating (or decline) per session: the primary key makes a second insert fail.
CREATE TABLE ratings (
  platform_id TEXT NOT NULL,
  sid_hash TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('rated', 'declined')),
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  -- JSON array of { id, value } in instrument order; '[]' when declined.
  items TEXT NOT NULL CHECK (json_valid(items)),
  total REAL,
  max_total REAL,
  -- JSON array of flags computed with the platform's rules at write time.
  flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
  rated_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, sid_hash),
  FOREIGN KEY (platform_id, sid_hash) REFERENCES sessions(platform_id, sid_hash) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX ratings_client ON ratings (platform_id, client_hash, rated_at);
CREATE INDEX ratings_therapist ON ratings (platform_id, therapist_hash, rated_at);

-- Exactly one set of pacing aggregates per session.
CREATE TABLE pacing (
  platform_id TEXT NOT NULL,
  sid_hash TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  duration_seconds REAL NOT NULL,
  therapist_talk_seconds REAL NOT NULL,
  client_talk_seconds REAL NOT NULL,
  overlap_seconds REAL NOT NULL,
  overlap_count INTEGER NOT NULL,
  silence_seconds REAL NOT NULL,
  silence_count INTEGER NOT NULL,
  longest_silence_seconds REAL NOT NULL,
  longest_therapist_turn_seconds REAL NOT NULL,
  therapist_turns INTEGER NOT NULL,
  client_turns INTEGER NOT NULL,
  cues_shown INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, sid_hash),
  FOREIGN KEY (platform_id, sid_hash) REFERENCES sessions(platform_id, sid_hash) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX pacing_client ON pacing (platform_id, client_hash, recorded_at);
CREATE INDEX pacing_therapist ON pacing (platform_id, therapist_hash, recorded_at);
