-- cse-screen team schema, version 4 (v1: people, roles and rules; v2: the store's own tables;
-- v3: the stored computed level, fired rules and level names for the chronology; v4: a DSL
-- records the reports they export, as the owner does; "last looked" marks keyed by login and
-- name).
-- Run by `cse-screen team init` as the installer (the database owner, with CREATEROLE), in one
-- transaction. Every statement is idempotent so that init can be run again safely.
-- Security model (docs/team.md): the database enforces who may see what; our code is not trusted.

CREATE SCHEMA IF NOT EXISTS cse_screen;
REVOKE ALL ON SCHEMA cse_screen FROM PUBLIC;

-- The three group roles (NOLOGIN). People are LOGIN roles that are members of exactly one.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cse_practitioner') THEN
    CREATE ROLE cse_practitioner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cse_dsl') THEN
    CREATE ROLE cse_dsl NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cse_admin') THEN
    CREATE ROLE cse_admin NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA cse_screen TO cse_practitioner, cse_dsl, cse_admin;

CREATE TABLE IF NOT EXISTS cse_screen.meta (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  schema_version integer NOT NULL
);

CREATE TABLE IF NOT EXISTS cse_screen.settings (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS cse_screen.people (
  role_name name PRIMARY KEY,
  setting_id text NOT NULL REFERENCES cse_screen.settings (id),
  role text NOT NULL CHECK (role IN ('practitioner', 'dsl', 'admin')),
  added_by name NOT NULL DEFAULT current_user,
  added_at timestamptz NOT NULL DEFAULT now()
);

-- Screening content (answers, notes, child reference, details) is sealed by the application
-- (the one codec) before it reaches these bytea columns; the database never needs to read it.
CREATE TABLE IF NOT EXISTS cse_screen.screenings (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  setting_id text NOT NULL REFERENCES cse_screen.settings (id),
  owner name NOT NULL DEFAULT current_user,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'completed', 'deleted')),
  level text,
  child_key text,
  content bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS screenings_setting_owner ON cse_screen.screenings (setting_id, owner);

-- The audit trail: append-only for every application role (GRANTs give no UPDATE/DELETE and
-- a trigger refuses them for anyone else, the owner included).
CREATE TABLE IF NOT EXISTS cse_screen.events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  screening_id text NOT NULL REFERENCES cse_screen.screenings (id),
  setting_id text NOT NULL REFERENCES cse_screen.settings (id),
  seq integer NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL DEFAULT now(),
  who name NOT NULL DEFAULT current_user,
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  question_id text,
  old_value bytea,
  new_value bytea,
  reason bytea,
  UNIQUE (screening_id, seq)
);

-- v1 -> v2: screening ids are text (the store's short random ids; uuids still fit). The
-- policies that mention the columns are dropped here and made again below.
DO $$
BEGIN
  IF (SELECT data_type FROM information_schema.columns WHERE table_schema = 'cse_screen'
      AND table_name = 'screenings' AND column_name = 'id') = 'uuid' THEN
    DROP POLICY IF EXISTS screenings_read ON cse_screen.screenings;
    DROP POLICY IF EXISTS screenings_create ON cse_screen.screenings;
    DROP POLICY IF EXISTS screenings_change_own ON cse_screen.screenings;
    DROP POLICY IF EXISTS events_read ON cse_screen.events;
    DROP POLICY IF EXISTS events_append ON cse_screen.events;
    ALTER TABLE cse_screen.events DROP CONSTRAINT IF EXISTS events_screening_id_fkey;
    ALTER TABLE cse_screen.events ALTER COLUMN screening_id TYPE text;
    ALTER TABLE cse_screen.screenings ALTER COLUMN id DROP DEFAULT;
    ALTER TABLE cse_screen.screenings ALTER COLUMN id TYPE text;
    ALTER TABLE cse_screen.screenings ALTER COLUMN id SET DEFAULT gen_random_uuid()::text;
    ALTER TABLE cse_screen.events ADD CONSTRAINT events_screening_id_fkey
      FOREIGN KEY (screening_id) REFERENCES cse_screen.screenings (id);
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION cse_screen.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- The one exception, as in the local store: cse_screen.erase_trail (below) removes the
  -- content events of a screening its owner has deleted, never the tombstone.
  IF TG_OP = 'DELETE' AND OLD.kind <> 'deleted'
     AND OLD.screening_id = current_setting('cse_screen.erasing', true)
     AND (SELECT s.status FROM cse_screen.screenings s WHERE s.id = OLD.screening_id) = 'deleted' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'cse_screen.events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS events_append_only ON cse_screen.events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON cse_screen.events
  FOR EACH ROW EXECUTE FUNCTION cse_screen.refuse_event_change();
DROP TRIGGER IF EXISTS events_no_truncate ON cse_screen.events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON cse_screen.events
  FOR EACH STATEMENT EXECUTE FUNCTION cse_screen.refuse_event_change();

-- The setting of a role, answered only about a role the caller is (so nobody can probe which
-- setting another person belongs to). SECURITY DEFINER so that policies can read people
-- without the people table's own policies recursing.
CREATE OR REPLACE FUNCTION cse_screen.setting_of(who name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT p.setting_id FROM cse_screen.people p
  WHERE p.role_name = who AND pg_catalog.pg_has_role(session_user, who, 'MEMBER')
$$;
REVOKE ALL ON FUNCTION cse_screen.setting_of(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cse_screen.setting_of(name) TO cse_practitioner, cse_dsl, cse_admin;

-- v2: the store's own tables (the same as the local SQLite store's, docs/team.md). Content
-- columns are bytea, sealed by the application's one codec. Times the application chooses
-- are ISO 8601 text in UTC, as locally; `at` and `who` of events stay the server's.
CREATE TABLE IF NOT EXISTS cse_screen.questionnaires (
  sha256 text PRIMARY KEY,
  qid text NOT NULL,
  version text NOT NULL,
  text text NOT NULL,
  added_at text NOT NULL
);
ALTER TABLE cse_screen.screenings
  ADD COLUMN IF NOT EXISTS questionnaire text REFERENCES cse_screen.questionnaires (sha256),
  ADD COLUMN IF NOT EXISTS meta bytea,
  ADD COLUMN IF NOT EXISTS judgement bytea,
  ADD COLUMN IF NOT EXISTS acks bytea,
  ADD COLUMN IF NOT EXISTS position text,
  ADD COLUMN IF NOT EXISTS screening_date text,
  ADD COLUMN IF NOT EXISTS completed_at text,
  ADD COLUMN IF NOT EXISTS seq integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS review_due text,
  ADD COLUMN IF NOT EXISTS follows text;
ALTER TABLE cse_screen.screenings ALTER COLUMN setting_id SET DEFAULT cse_screen.setting_of(current_user);
CREATE INDEX IF NOT EXISTS screenings_child ON cse_screen.screenings (child_key);
CREATE INDEX IF NOT EXISTS screenings_updated ON cse_screen.screenings (updated_at);
CREATE INDEX IF NOT EXISTS screenings_review_due ON cse_screen.screenings (review_due)
  WHERE review_due IS NOT NULL;
CREATE INDEX IF NOT EXISTS screenings_follows ON cse_screen.screenings (follows) WHERE follows IS NOT NULL;
-- `author` is the name the practitioner gave (as in the local store); `who` stays the login.
-- `desk_at` is the time a desk recorded, for events copied from a local store by
-- `team migrate --from-local`; `at` is always when the server received the event.
ALTER TABLE cse_screen.events
  ADD COLUMN IF NOT EXISTS author text,
  ADD COLUMN IF NOT EXISTS amendment integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS desk_at text;
ALTER TABLE cse_screen.events ALTER COLUMN setting_id SET DEFAULT cse_screen.setting_of(current_user);
CREATE TABLE IF NOT EXISTS cse_screen.answers (
  screening_id text NOT NULL REFERENCES cse_screen.screenings (id),
  question_id text NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (screening_id, question_id)
);
CREATE TABLE IF NOT EXISTS cse_screen.exports (
  screening_id text NOT NULL REFERENCES cse_screen.screenings (id),
  seq integer NOT NULL,
  at text NOT NULL,
  who text NOT NULL,
  format text NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (screening_id, seq)
);
CREATE TABLE IF NOT EXISTS cse_screen.decisions (
  screening_id text NOT NULL REFERENCES cse_screen.screenings (id),
  seq integer NOT NULL,
  at text NOT NULL,
  who text NOT NULL,
  body bytea NOT NULL,
  login name NOT NULL DEFAULT current_user,
  PRIMARY KEY (screening_id, seq)
);
-- Leases say who is editing a screening right now (any desk): no content.
CREATE TABLE IF NOT EXISTS cse_screen.leases (
  screening_id text PRIMARY KEY REFERENCES cse_screen.screenings (id),
  owner text NOT NULL,
  pid integer NOT NULL,
  host text NOT NULL,
  heartbeat_at text NOT NULL
);

-- The DSL inbox: when each person last looked (a name and a time, never content), and an
-- index for the shares. A mark is its login's own (row-level security below); `who` is the
-- name the inbox was opened under, as in the local store.
CREATE TABLE IF NOT EXISTS cse_screen.looked (
  who text NOT NULL,
  at text NOT NULL,
  login name NOT NULL DEFAULT current_user,
  PRIMARY KEY (login, who)
);
-- v4: a mark is its login's own under the name given. Keyed by the name alone (v2, v3), the
-- second person to look under a name already used (two called "Mr Lead", one desk user name)
-- met the first one's row, hidden from them by the policy below, and could never keep a mark.
DO $$
BEGIN
  IF (SELECT array_length(c.conkey, 1) FROM pg_constraint c
      WHERE c.conrelid = 'cse_screen.looked'::regclass AND c.contype = 'p') = 1 THEN
    ALTER TABLE cse_screen.looked DROP CONSTRAINT looked_pkey;
    ALTER TABLE cse_screen.looked ADD PRIMARY KEY (login, who);
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS events_shared ON cse_screen.events (screening_id) WHERE kind = 'shared';
CREATE INDEX IF NOT EXISTS screenings_date ON cse_screen.screenings (screening_date);

-- Deleting a screening: its owner, once it is marked deleted, removes its content events
-- (the tombstone stays). SECURITY DEFINER, so nobody needs DELETE on events.
CREATE OR REPLACE FUNCTION cse_screen.erase_trail(sid text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cse_screen.screenings s
                 WHERE s.id = sid AND s.owner = session_user AND s.status = 'deleted') THEN
    RAISE EXCEPTION 'only the owner of a deleted screening may erase its trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('cse_screen.erasing', sid, true);
  DELETE FROM cse_screen.events e WHERE e.screening_id = sid AND e.kind <> 'deleted';
  PERFORM set_config('cse_screen.erasing', '', true);
END
$$;
REVOKE ALL ON FUNCTION cse_screen.erase_trail(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cse_screen.erase_trail(text) TO cse_practitioner;

-- Privileges: nothing by default, then exactly what each role needs. No role gets DELETE or
-- TRUNCATE anywhere; the admin gets nothing on screenings or events.
REVOKE ALL ON ALL TABLES IN SCHEMA cse_screen FROM PUBLIC, cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.meta TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.settings TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.people TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.screenings TO cse_practitioner, cse_dsl;
GRANT INSERT (id, setting_id, status, level, child_key, content, questionnaire, meta, screening_date,
              created_at, updated_at, seq, judgement, acks, position, completed_at, review_due, follows)
  ON cse_screen.screenings
  TO cse_practitioner, cse_dsl;
GRANT UPDATE (status, level, child_key, content, updated_at, meta, judgement, acks, position, screening_date,
              completed_at, seq, review_due, follows) ON cse_screen.screenings TO cse_practitioner;
-- A DSL's decision moves the screening's event counter and may set its review date: no content.
GRANT UPDATE (seq, updated_at, review_due) ON cse_screen.screenings TO cse_dsl;
GRANT SELECT ON cse_screen.events TO cse_practitioner, cse_dsl;
GRANT INSERT (screening_id, setting_id, seq, kind, question_id, old_value, new_value, reason, author, amendment,
              desk_at)
  ON cse_screen.events TO cse_practitioner, cse_dsl;
GRANT SELECT, INSERT ON cse_screen.questionnaires TO cse_practitioner, cse_dsl;
GRANT SELECT, INSERT, UPDATE, DELETE ON cse_screen.answers TO cse_practitioner;
GRANT SELECT ON cse_screen.answers TO cse_dsl;
GRANT SELECT, INSERT, DELETE ON cse_screen.exports TO cse_practitioner;
GRANT SELECT ON cse_screen.exports TO cse_dsl;
GRANT SELECT, DELETE ON cse_screen.decisions TO cse_practitioner;
GRANT SELECT, INSERT ON cse_screen.decisions TO cse_dsl;
GRANT SELECT, INSERT, UPDATE, DELETE ON cse_screen.leases TO cse_practitioner, cse_dsl;
GRANT SELECT, INSERT (who, at), UPDATE (at) ON cse_screen.looked TO cse_practitioner, cse_dsl;

-- Row-level security: settings never see each other; a practitioner sees only their own.
-- The caller's setting and role are asked once per query, as sub-selects: called as plain
-- functions they would run once per row (setting_of is SECURITY DEFINER, so never inlined).
ALTER TABLE cse_screen.settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.screenings ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.events ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS own_setting ON cse_screen.settings;
CREATE POLICY own_setting ON cse_screen.settings FOR SELECT
  USING (id = (SELECT cse_screen.setting_of(current_user)));

DROP POLICY IF EXISTS people_visible ON cse_screen.people;
CREATE POLICY people_visible ON cse_screen.people FOR SELECT
  USING (role_name = current_user
         OR (setting_id = (SELECT cse_screen.setting_of(current_user))
             AND ((SELECT pg_has_role(current_user, 'cse_admin', 'MEMBER'))
                  OR (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER')))));

DROP POLICY IF EXISTS screenings_read ON cse_screen.screenings;
CREATE POLICY screenings_read ON cse_screen.screenings FOR SELECT
  USING (setting_id = (SELECT cse_screen.setting_of(current_user))
         AND (owner = current_user OR (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER'))));

DROP POLICY IF EXISTS screenings_create ON cse_screen.screenings;
CREATE POLICY screenings_create ON cse_screen.screenings FOR INSERT
  WITH CHECK (owner = current_user AND setting_id = (SELECT cse_screen.setting_of(current_user)));

DROP POLICY IF EXISTS screenings_change_own ON cse_screen.screenings;
CREATE POLICY screenings_change_own ON cse_screen.screenings FOR UPDATE
  USING (owner = current_user AND setting_id = (SELECT cse_screen.setting_of(current_user)))
  WITH CHECK (owner = current_user AND setting_id = (SELECT cse_screen.setting_of(current_user)));

DROP POLICY IF EXISTS events_read ON cse_screen.events;
CREATE POLICY events_read ON cse_screen.events FOR SELECT
  USING (setting_id = (SELECT cse_screen.setting_of(current_user))
         AND ((SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER'))
              OR EXISTS (SELECT 1 FROM cse_screen.screenings s
                         WHERE s.id = screening_id AND s.owner = current_user)));

-- The author writes content events on their own screening; only a DSL records a decision,
-- on any screening of their setting, and a DSL records the reports they export from one (v4:
-- the trail says who took a copy, whoever it was). `who` and `at` come from the database, never the client.
DROP POLICY IF EXISTS events_append ON cse_screen.events;
CREATE POLICY events_append ON cse_screen.events FOR INSERT
  WITH CHECK (who = current_user
              AND setting_id = (SELECT cse_screen.setting_of(current_user))
              AND EXISTS (SELECT 1 FROM cse_screen.screenings s
                          WHERE s.id = screening_id AND s.setting_id = events.setting_id
                            AND ((kind <> 'decision' AND s.owner = current_user)
                                 OR (kind IN ('decision', 'export')
                                     AND (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER'))))));

-- v2: a DSL's decision updates the counter and review date of a screening of their setting.
DROP POLICY IF EXISTS screenings_dsl_follow_up ON cse_screen.screenings;
CREATE POLICY screenings_dsl_follow_up ON cse_screen.screenings FOR UPDATE
  USING (setting_id = (SELECT cse_screen.setting_of(current_user)) AND (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER')))
  WITH CHECK (setting_id = (SELECT cse_screen.setting_of(current_user))
              AND (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER')));

-- The store's other tables follow their screening: the subqueries below run under the
-- screenings policies, so "the screening is visible" means owner or the setting's DSL.
ALTER TABLE cse_screen.answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.leases ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS answers_read ON cse_screen.answers;
CREATE POLICY answers_read ON cse_screen.answers FOR SELECT
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id));
DROP POLICY IF EXISTS answers_own ON cse_screen.answers;
CREATE POLICY answers_own ON cse_screen.answers FOR ALL
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id AND s.owner = current_user))
  WITH CHECK (EXISTS (SELECT 1 FROM cse_screen.screenings s
                      WHERE s.id = screening_id AND s.owner = current_user));

DROP POLICY IF EXISTS exports_read ON cse_screen.exports;
CREATE POLICY exports_read ON cse_screen.exports FOR SELECT
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id));
DROP POLICY IF EXISTS exports_own ON cse_screen.exports;
CREATE POLICY exports_own ON cse_screen.exports FOR ALL
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id AND s.owner = current_user))
  WITH CHECK (EXISTS (SELECT 1 FROM cse_screen.screenings s
                      WHERE s.id = screening_id AND s.owner = current_user));

DROP POLICY IF EXISTS decisions_read ON cse_screen.decisions;
CREATE POLICY decisions_read ON cse_screen.decisions FOR SELECT
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id));
DROP POLICY IF EXISTS decisions_by_dsl ON cse_screen.decisions;
CREATE POLICY decisions_by_dsl ON cse_screen.decisions FOR INSERT
  WITH CHECK (login = current_user AND (SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER'))
              AND EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id));
DROP POLICY IF EXISTS decisions_erased_by_owner ON cse_screen.decisions;
CREATE POLICY decisions_erased_by_owner ON cse_screen.decisions FOR DELETE
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s
                 WHERE s.id = screening_id AND s.owner = current_user AND s.status = 'deleted'));

ALTER TABLE cse_screen.looked ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS looked_own ON cse_screen.looked;
CREATE POLICY looked_own ON cse_screen.looked FOR ALL
  USING (login = current_user) WITH CHECK (login = current_user);

DROP POLICY IF EXISTS leases_visible ON cse_screen.leases;
CREATE POLICY leases_visible ON cse_screen.leases FOR ALL
  USING (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id))
  WITH CHECK (EXISTS (SELECT 1 FROM cse_screen.screenings s WHERE s.id = screening_id));

-- Adding people: an admin may add people to their own setting only, and may grant only one of
-- the three group roles. SECURITY DEFINER so that the admin needs no CREATEROLE (which in
-- PostgreSQL 15 would let them grant themselves any role, the DSL's included).
CREATE OR REPLACE FUNCTION cse_screen.add_person(person name, person_role text, setting text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  caller_setting text := (SELECT p.setting_id FROM cse_screen.people p WHERE p.role_name = session_user);
  -- Only the installer (the schema's owner, or a superuser) can call this without being a person:
  -- EXECUTE is granted to cse_admin alone, and every admin has a row in people.
  is_installer boolean := caller_setting IS NULL;
BEGIN
  IF person_role NOT IN ('practitioner', 'dsl', 'admin') THEN
    RAISE EXCEPTION 'role must be practitioner, dsl or admin' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF person !~ '^[a-z_][a-z0-9_.-]{0,62}$' OR person ~ '^(pg_|cse_)' THEN
    RAISE EXCEPTION 'name must be lower-case letters, digits, _ . - and not start with pg_ or cse_'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT is_installer AND setting IS DISTINCT FROM caller_setting THEN
    RAISE EXCEPTION 'an administrator adds people to their own setting only'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF is_installer THEN
    INSERT INTO cse_screen.settings (id) VALUES (setting) ON CONFLICT DO NOTHING;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
    RAISE EXCEPTION 'a database role with that name already exists' USING ERRCODE = 'duplicate_object';
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT', person);
  EXECUTE format('GRANT %I TO %I', 'cse_' || person_role, person);
  INSERT INTO cse_screen.people (role_name, setting_id, role, added_by)
    VALUES (person, setting, person_role, session_user);
END
$$;
REVOKE ALL ON FUNCTION cse_screen.add_person(name, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cse_screen.add_person(name, text, text) TO cse_admin;

-- v3: what a child's chronology shows without evaluating a screening again (as the local
-- store's v6): the computed level and the rules that fired (sealed), stored by the owner at
-- completion and after an amendment, and each questionnaire's level names.
ALTER TABLE cse_screen.screenings
  ADD COLUMN IF NOT EXISTS computed_level text,
  ADD COLUMN IF NOT EXISTS flags bytea;
ALTER TABLE cse_screen.questionnaires ADD COLUMN IF NOT EXISTS levels text;
GRANT UPDATE (computed_level, flags) ON cse_screen.screenings TO cse_practitioner;
GRANT UPDATE (levels) ON cse_screen.questionnaires TO cse_practitioner, cse_dsl;

-- v4: a DSL who exports a report of a screening of their setting (`cse-screen report`, the
-- inbox's "read one") records it as the owner would: an `export` event (above) and its row.
-- The row must belong to an `export` event this login appended at that place in the trail
-- (the same transaction appends the event first), so a DSL can record only their own export:
-- never a row without a trail event, under another sequence number, or for someone else.
GRANT INSERT ON cse_screen.exports TO cse_dsl;
DROP POLICY IF EXISTS exports_by_dsl ON cse_screen.exports;
CREATE POLICY exports_by_dsl ON cse_screen.exports FOR INSERT
  WITH CHECK ((SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER'))
              AND EXISTS (SELECT 1 FROM cse_screen.events e
                          WHERE e.screening_id = exports.screening_id AND e.seq = exports.seq
                            AND e.kind = 'export' AND e.who = current_user));

INSERT INTO cse_screen.meta (schema_version) VALUES (4)
  ON CONFLICT (only_row) DO UPDATE SET schema_version = EXCLUDED.schema_version;
