-- cse-screen team schema, version 1.
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
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
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
  screening_id uuid NOT NULL REFERENCES cse_screen.screenings (id),
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

CREATE OR REPLACE FUNCTION cse_screen.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

-- Privileges: nothing by default, then exactly what each role needs. No role gets DELETE or
-- TRUNCATE anywhere; the admin gets nothing on screenings or events.
REVOKE ALL ON ALL TABLES IN SCHEMA cse_screen FROM PUBLIC, cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.meta TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.settings TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.people TO cse_practitioner, cse_dsl, cse_admin;
GRANT SELECT ON cse_screen.screenings TO cse_practitioner, cse_dsl;
GRANT INSERT (setting_id, status, level, child_key, content) ON cse_screen.screenings
  TO cse_practitioner, cse_dsl;
GRANT UPDATE (status, level, child_key, content, updated_at) ON cse_screen.screenings TO cse_practitioner;
GRANT SELECT ON cse_screen.events TO cse_practitioner, cse_dsl;
GRANT INSERT (screening_id, setting_id, seq, kind, question_id, old_value, new_value, reason)
  ON cse_screen.events TO cse_practitioner, cse_dsl;

-- Row-level security: settings never see each other; a practitioner sees only their own.
ALTER TABLE cse_screen.settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.screenings ENABLE ROW LEVEL SECURITY;
ALTER TABLE cse_screen.events ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS own_setting ON cse_screen.settings;
CREATE POLICY own_setting ON cse_screen.settings FOR SELECT
  USING (id = cse_screen.setting_of(current_user));

DROP POLICY IF EXISTS people_visible ON cse_screen.people;
CREATE POLICY people_visible ON cse_screen.people FOR SELECT
  USING (role_name = current_user
         OR (setting_id = cse_screen.setting_of(current_user)
             AND (pg_has_role(current_user, 'cse_admin', 'MEMBER')
                  OR pg_has_role(current_user, 'cse_dsl', 'MEMBER'))));

DROP POLICY IF EXISTS screenings_read ON cse_screen.screenings;
CREATE POLICY screenings_read ON cse_screen.screenings FOR SELECT
  USING (setting_id = cse_screen.setting_of(current_user)
         AND (owner = current_user OR pg_has_role(current_user, 'cse_dsl', 'MEMBER')));

DROP POLICY IF EXISTS screenings_create ON cse_screen.screenings;
CREATE POLICY screenings_create ON cse_screen.screenings FOR INSERT
  WITH CHECK (owner = current_user AND setting_id = cse_screen.setting_of(current_user));

DROP POLICY IF EXISTS screenings_change_own ON cse_screen.screenings;
CREATE POLICY screenings_change_own ON cse_screen.screenings FOR UPDATE
  USING (owner = current_user AND setting_id = cse_screen.setting_of(current_user))
  WITH CHECK (owner = current_user AND setting_id = cse_screen.setting_of(current_user));

DROP POLICY IF EXISTS events_read ON cse_screen.events;
CREATE POLICY events_read ON cse_screen.events FOR SELECT
  USING (setting_id = cse_screen.setting_of(current_user)
         AND (pg_has_role(current_user, 'cse_dsl', 'MEMBER')
              OR EXISTS (SELECT 1 FROM cse_screen.screenings s
                         WHERE s.id = screening_id AND s.owner = current_user)));

-- The author writes content events on their own screening; only a DSL records a decision,
-- on any screening of their setting. `who` and `at` come from the database, never the client.
DROP POLICY IF EXISTS events_append ON cse_screen.events;
CREATE POLICY events_append ON cse_screen.events FOR INSERT
  WITH CHECK (who = current_user
              AND setting_id = cse_screen.setting_of(current_user)
              AND EXISTS (SELECT 1 FROM cse_screen.screenings s
                          WHERE s.id = screening_id AND s.setting_id = events.setting_id
                            AND ((kind <> 'decision' AND s.owner = current_user)
                                 OR (kind = 'decision'
                                     AND pg_has_role(current_user, 'cse_dsl', 'MEMBER')))));

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

INSERT INTO cse_screen.meta (schema_version) VALUES (1) ON CONFLICT (only_row) DO NOTHING;
