/**
 * Version 40: artifacts of kind 'cloud-ref' (an EBS snapshot in an AWS account: provider, region,
 * account, resource id, metadata JSON; storage 'cloud'; no bytes, no size, no hashes).
 * docs/aws.md, "Snapshots as artifacts".
 */
import type { Database } from 'better-sqlite3';

const OLD_KIND = "kind TEXT NOT NULL CHECK (kind IN ('file'))";
const NEW_KIND = "kind TEXT NOT NULL CHECK (kind IN ('file', 'cloud-ref'))";
const OLD_STORAGE = "storage TEXT NOT NULL CHECK (storage IN ('copied', 'in-place'))";
const NEW_STORAGE = "storage TEXT NOT NULL CHECK (storage IN ('copied', 'in-place', 'cloud'))";

/**
 * Widens the two CHECK constraints in place. SQLite cannot ALTER a CHECK, and rebuilding the table
 * would copy every evidence row and trip the foreign keys of custody_events, notes and jobs inside
 * the one migration transaction. Widening a CHECK does not change what is on disk, which is the
 * case SQLite documents for editing sqlite_schema (with schema_version bumped so it is re-read).
 */
function widenChecks(db: Database): void {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'artifacts'").get() as { sql: string } | undefined;
  if (!row || !row.sql.includes(OLD_KIND) || !row.sql.includes(OLD_STORAGE)) {
    throw new Error('The artifacts table is not the one version 10 created; refusing to change it');
  }
  const sql = row.sql.replace(OLD_KIND, NEW_KIND).replace(OLD_STORAGE, NEW_STORAGE);
  const version = db.pragma('schema_version', { simple: true }) as number;
  // better-sqlite3 runs in SQLite's defensive mode, which forbids writing sqlite_schema.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'artifacts'").run(sql);
    db.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
}

export function up(db: Database): void {
  widenChecks(db);
  db.exec(`
    ALTER TABLE artifacts ADD COLUMN cloud_provider TEXT;
    ALTER TABLE artifacts ADD COLUMN cloud_region TEXT;
    ALTER TABLE artifacts ADD COLUMN cloud_account TEXT;
    ALTER TABLE artifacts ADD COLUMN cloud_resource_id TEXT;
    ALTER TABLE artifacts ADD COLUMN cloud_metadata TEXT;
    CREATE INDEX artifacts_by_cloud_resource ON artifacts(cloud_resource_id) WHERE cloud_resource_id IS NOT NULL;

    -- A cloud reference is born complete (there is nothing to copy or hash), so the UPDATE trigger
    -- of version 10 already makes it immutable; these keep the two kinds from mixing.
    CREATE TRIGGER artifacts_cloud_ref_shape BEFORE INSERT ON artifacts
      WHEN NEW.kind = 'cloud-ref' AND (
        NEW.storage <> 'cloud' OR NEW.state <> 'complete' OR NEW.size IS NOT NULL
        OR NEW.md5 IS NOT NULL OR NEW.sha1 IS NOT NULL OR NEW.sha256 IS NOT NULL
        OR NEW.cloud_provider IS NULL OR NEW.cloud_region IS NULL OR NEW.cloud_account IS NULL
        OR NEW.cloud_resource_id IS NULL OR NEW.cloud_metadata IS NULL OR json_valid(NEW.cloud_metadata) = 0)
      BEGIN SELECT RAISE(ABORT, 'a cloud-ref artifact is complete, stored in the cloud, with its reference and no size or hashes'); END;
    CREATE TRIGGER artifacts_file_shape BEFORE INSERT ON artifacts
      WHEN NEW.kind = 'file' AND (NEW.storage = 'cloud' OR NEW.cloud_provider IS NOT NULL OR NEW.cloud_resource_id IS NOT NULL OR NEW.cloud_metadata IS NOT NULL)
      BEGIN SELECT RAISE(ABORT, 'a file artifact has no cloud reference'); END;
  `);
}
