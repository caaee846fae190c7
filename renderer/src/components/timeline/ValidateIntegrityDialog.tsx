/** Gather what offline validation needs (bucket, newest digests' signatures, public keys) and run logs.validate. */
import { useMemo, useState, type ChangeEvent } from 'react';
import type { LogsValidationReport } from '../../../../shared/contract-logs-validate.js';
import { ApiError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { TextArea, TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { DigestMetadataFields } from './DigestMetadataFields.js';
import { acquiredValidateInput, buildValidateInput, findTrailFiles, guessBucket, newestPerChain } from './integrity-input.js';

interface Props {
  caseId: string;
  onClose: () => void;
  onDone: (report: LogsValidationReport) => void;
}

/** The form; the report replaces the events view when it is done. */
export function ValidateIntegrityDialog({ caseId, onClose, onDone }: Props) {
  const { api } = useBridge();
  const artifacts = useQuery(() => api.evidence.list({ caseId }), [caseId]);
  // Trails acquired from S3 by Caseward carry their bucket, keys, signatures and public keys already.
  const acquired = useQuery(() => api.logs.acquiredTrail({ caseId }), [caseId]);
  const hasAcquired = (acquired.data?.digests.length ?? 0) > 0;
  const [source, setSource] = useState<'acquired' | 'manual' | null>(null);
  const mode = source ?? (hasAcquired ? 'acquired' : 'manual');
  const [orgId, setOrgId] = useState('');
  const files = useMemo(() => findTrailFiles(artifacts.data ?? [], orgId), [artifacts.data, orgId]);
  const newest = useMemo(() => newestPerChain(files.digests), [files.digests]);
  const [bucket, setBucket] = useState<string | null>(null);
  const [prefix, setPrefix] = useState('');
  const [signatures, setSignatures] = useState<Record<string, string>>({});
  const [backfillTimestamps, setBackfillTimestamps] = useState<Record<string, string>>({});
  const [publicKeys, setPublicKeys] = useState('');
  const bucketValue = bucket ?? guessBucket([...files.logs, ...files.digests]);
  const total =
    mode === 'acquired' ? (acquired.data?.logs.length ?? 0) + (acquired.data?.digests.length ?? 0) : files.logs.length + files.digests.length;

  const loadKeys = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    if (file) void file.text().then(setPublicKeys);
  };

  const { submit, busy, error } = useSubmit(async () => {
    let input: ReturnType<typeof buildValidateInput>;
    try {
      input =
        mode === 'acquired' && acquired.data
          ? acquiredValidateInput(acquired.data)
          : buildValidateInput(files, { bucket: bucketValue, prefix, signatures, backfillTimestamps, publicKeys });
    } catch (err) {
      throw new ApiError({ code: 'INVALID_INPUT', message: err instanceof Error ? err.message : String(err) });
    }
    onDone(await unwrap(api.logs.validate({ caseId, ...input })));
  });

  return (
    <Dialog title="Validate CloudTrail integrity" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          Checks the case's copies of the CloudTrail log and digest files offline, by the rules of{' '}
          <code>aws cloudtrail validate-logs</code>: each digest's signature against CloudTrail's public key, the chain of digests,
          and each log file's SHA-256 against the digest that lists it. No file is changed; the result is recorded in custody.
        </p>
        <ErrorMessage error={artifacts.error} />
        {acquired.error && (
          <p className="muted small">
            The metadata of trails acquired from S3 could not be read ({acquired.error.code} {acquired.error.message}); enter it by hand.
          </p>
        )}
        {hasAcquired && acquired.data && (
          <fieldset className="choice-group">
            <legend>Files and their S3 metadata</legend>
            <label className="choice">
              <input type="radio" name="iv-source" checked={mode === 'acquired'} onChange={() => setSource('acquired')} />
              <span>
                As acquired from S3 by Caseward: {acquired.data.logs.length} log files, {acquired.data.digests.length} digest files,{' '}
                {acquired.data.publicKeys.length} public key{acquired.data.publicKeys.length === 1 ? '' : 's'}
                <span className="muted small">Bucket, keys, signatures and public keys as recorded at acquisition.</span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="iv-source" checked={mode === 'manual'} onChange={() => setSource('manual')} />
              <span>
                Files added from disk: enter the metadata by hand
                <span className="muted small">For trails downloaded by other tools.</span>
              </span>
            </label>
          </fieldset>
        )}
        {mode === 'manual' && artifacts.data && (
          <p className={files.digests.length ? 'small' : 'warning'}>
            {files.digests.length
              ? `Found ${files.logs.length} log file${files.logs.length === 1 ? '' : 's'} and ${files.digests.length} digest file${files.digests.length === 1 ? '' : 's'} among the hashed artifacts (recognised by CloudTrail's file names).`
              : 'No CloudTrail digest files among the hashed artifacts. Add the CloudTrail-Digest files (…_CloudTrail-Digest_….json.gz) as evidence first.'}
          </p>
        )}
        {mode === 'manual' && (
          <>
          <div className="form-grid">
            <TextField
              label="S3 bucket the trail delivered to"
              value={bucketValue}
              onChange={(e) => setBucket(e.target.value)}
              required
              spellCheck={false}
              hint="Each digest names its own bucket and key; a file validated under another location is reported as moved."
            />
            <TextField
              label="Key prefix before AWSLogs/ (optional)"
              value={prefix}
              onChange={(e) => setPrefix(e.target.value)}
              spellCheck={false}
              placeholder="none"
            />
            <TextField
              label="Organisation ID (organisation trails, optional)"
              value={orgId}
              onChange={(e) => setOrgId(e.target.value)}
              spellCheck={false}
              placeholder="o-exampleorgid"
              hint="Used only for files whose folder path does not contain AWSLogs/."
            />
          </div>
          {files.digests.length > 0 && (
            <DigestMetadataFields
              digests={files.digests}
              newest={newest}
              signatures={signatures}
              onSignature={(id, v) => setSignatures((prev) => ({ ...prev, [id]: v }))}
              backfillTimestamps={backfillTimestamps}
              onBackfillTimestamp={(id, v) => setBackfillTimestamps((prev) => ({ ...prev, [id]: v }))}
            />
          )}
          <TextArea
            label="CloudTrail public keys (JSON)"
            className="mono iv-keys"
            rows={5}
            value={publicKeys}
            onChange={(e) => setPublicKeys(e.target.value)}
            spellCheck={false}
            placeholder='{"PublicKeyList": [{"Value": "MIIBCgKCAQEA…", "Fingerprint": "…", "ValidityStartTime": "…", "ValidityEndTime": "…"}]}'
            hint={<>The output of <code>aws cloudtrail list-public-keys</code> for the period, saved at acquisition.</>}
          />
          <div className="field">
            <label htmlFor="iv-keys-file">…or load that JSON from a file</label>
            <input id="iv-keys-file" type="file" accept=".json,application/json,text/plain" onChange={loadKeys} />
          </div>
          </>
        )}
        <FormFooter
          error={error}
          busy={busy}
          label={`Validate ${total} file${total === 1 ? '' : 's'}`}
          busyLabel="Validating…"
          disabled={mode === 'manual' && files.digests.length === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
