/** The parts of an instance's detail: attributes and user data, volumes, security groups with rules, interfaces, IAM. */
import type { ReactNode } from 'react';
import type { AwsInstanceDetail, AwsPart } from '../../../../shared/contract-aws.js';
import { formatTime } from '../../lib/format.js';
import { tagsText } from './aws-text.js';

type Rec = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** A part's content, or why AWS did not give it (IAM is often denied to responders). */
export function PartView<T>({ title, part, children }: { title: string; part: AwsPart<T> | null; children: (v: T) => ReactNode }) {
  return (
    <section className="aws-part" aria-label={title}>
      <h3>{title}</h3>
      {part === null ? (
        <p className="muted small">None.</p>
      ) : part.ok ? (
        children(part.value)
      ) : (
        <p className="warning small">
          Not available ({part.code}): {part.message}
        </p>
      )}
    </section>
  );
}

/** Attributes and the decoded user data with its SHA-256. */
export function AttributesView({ detail }: { detail: AwsInstanceDetail }) {
  return (
    <PartView title="Attributes and user data" part={detail.attributes}>
      {(a) => (
        <>
          <dl className="kv compact">
            <dt>Termination protection</dt>
            <dd>{a.disableApiTermination === null ? '—' : a.disableApiTermination ? 'enabled' : 'disabled'}</dd>
            <dt>Shutdown behaviour</dt>
            <dd>{a.instanceInitiatedShutdownBehavior ?? '—'}</dd>
            <dt>User data</dt>
            <dd>{a.userData ? `${a.userData.bytes} bytes, SHA-256 ` : 'none'}{a.userData && <span className="mono hash-full">{a.userData.sha256}</span>}</dd>
          </dl>
          {a.userData && (
            <pre className="json aws-userdata" aria-label="User data (decoded)">
              {a.userData.text}
            </pre>
          )}
        </>
      )}
    </PartView>
  );
}

/** Attached volumes with encryption and the key. */
export function VolumesView({ detail, zone }: { detail: AwsInstanceDetail; zone: string }) {
  const devices = new Map(detail.summary.volumes.map((v) => [v.volumeId, v]));
  return (
    <PartView title="Volumes" part={detail.volumes}>
      {(vols) => (
        <table className="data-table compact" aria-label="Attached volumes">
          <thead>
            <tr>
              <th scope="col">Volume</th>
              <th scope="col">Device</th>
              <th scope="col" className="num">Size</th>
              <th scope="col">Type</th>
              <th scope="col">Delete on termination</th>
              <th scope="col">Encryption / KMS key</th>
              <th scope="col">Created ({zone})</th>
            </tr>
          </thead>
          <tbody>
            {vols.map((v) => (
              <tr key={v.volumeId}>
                <td className="mono">{v.volumeId}</td>
                <td className="mono">{devices.get(v.volumeId)?.deviceName ?? '—'}</td>
                <td className="num">{v.sizeGiB ?? '—'} GiB</td>
                <td>{v.volumeType ?? '—'}</td>
                <td>{str(devices.get(v.volumeId)?.deleteOnTermination ?? '—')}</td>
                <td className="mono aws-wrap">{v.encrypted ? (v.kmsKeyId ?? 'encrypted') : 'not encrypted'}</td>
                <td className="mono">{formatTime(v.createTime, zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PartView>
  );
}

function ruleTarget(p: Rec): string {
  const parts = [
    ...arr(p.IpRanges).map((r) => str(r.CidrIp) + (r.Description ? ` (${str(r.Description)})` : '')),
    ...arr(p.Ipv6Ranges).map((r) => str(r.CidrIpv6)),
    ...arr(p.UserIdGroupPairs).map((r) => str(r.GroupId)),
    ...arr(p.PrefixListIds).map((r) => str(r.PrefixListId)),
  ];
  return parts.join(', ') || '—';
}

function rulePorts(p: Rec): string {
  if (p.IpProtocol === '-1') return 'all traffic';
  const from = p.FromPort;
  const to = p.ToPort;
  const ports = from === undefined ? '' : from === to ? ` ${str(from)}` : ` ${str(from)}–${str(to)}`;
  return `${str(p.IpProtocol)}${ports}`;
}

/** Each security group with its inbound and outbound rules. */
export function GroupsView({ detail }: { detail: AwsInstanceDetail }) {
  return (
    <PartView title="Security groups and rules" part={detail.securityGroups}>
      {(groups) =>
        groups.map((g) => (
          <div key={str(g.GroupId)} className="aws-group">
            <p>
              <span className="mono">{str(g.GroupId)}</span> <strong>{str(g.GroupName)}</strong> <span className="muted">{str(g.Description)}</span>
            </p>
            <table className="data-table compact" aria-label={`Rules of ${str(g.GroupId)}`}>
              <thead>
                <tr>
                  <th scope="col">Direction</th>
                  <th scope="col">Protocol / ports</th>
                  <th scope="col">Source / destination</th>
                </tr>
              </thead>
              <tbody>
                {[...arr(g.IpPermissions).map((p) => ['inbound', p] as const), ...arr(g.IpPermissionsEgress).map((p) => ['outbound', p] as const)].map(([dir, p], i) => (
                  <tr key={i}>
                    <td>{dir}</td>
                    <td className="mono">{rulePorts(p)}</td>
                    <td className="mono aws-wrap">{ruleTarget(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      }
    </PartView>
  );
}

/** Network interfaces with addresses and groups. */
export function InterfacesView({ detail }: { detail: AwsInstanceDetail }) {
  return (
    <PartView title="Network interfaces" part={detail.networkInterfaces}>
      {(enis) => (
        <table className="data-table compact" aria-label="Network interfaces">
          <thead>
            <tr>
              <th scope="col">Interface</th>
              <th scope="col">Private IP</th>
              <th scope="col">Public IP</th>
              <th scope="col">MAC</th>
              <th scope="col">Subnet / VPC</th>
              <th scope="col">Groups</th>
            </tr>
          </thead>
          <tbody>
            {enis.map((n) => (
              <tr key={str(n.NetworkInterfaceId)}>
                <td className="mono">{str(n.NetworkInterfaceId)}</td>
                <td className="mono">{str(n.PrivateIpAddress)}</td>
                <td className="mono">{str((n.Association as Rec | undefined)?.PublicIp) || '—'}</td>
                <td className="mono">{str(n.MacAddress)}</td>
                <td className="mono">
                  {str(n.SubnetId)} / {str(n.VpcId)}
                </td>
                <td className="mono">{arr(n.Groups).map((g) => str(g.GroupId)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PartView>
  );
}

/** The instance profile, its roles and their policies (documents shown as JSON). */
export function IamView({ detail }: { detail: AwsInstanceDetail }) {
  return (
    <PartView title="IAM instance profile and role policies" part={detail.iam}>
      {(iam) => (
        <>
          <p className="mono small">{str(iam.instanceProfile.Arn ?? iam.instanceProfile.InstanceProfileName)}</p>
          {iam.roles.map((r) => (
            <div key={r.arn} className="aws-role">
              <p>
                Role <strong>{r.roleName}</strong> <span className="mono muted">{r.arn}</span>
              </p>
              <PartView title="Attached policies" part={r.attachedPolicies}>
                {(ps) =>
                  ps.map((p) => (
                    <details key={p.policyArn} className="disclosure">
                      <summary>
                        {p.policyName} <span className="mono muted small">{p.policyArn}</span>
                      </summary>
                      <pre className="json">{JSON.stringify(p.document, null, 2)}</pre>
                    </details>
                  ))
                }
              </PartView>
              <PartView title="Inline policies" part={r.inlinePolicies}>
                {(ps) =>
                  ps.length === 0 ? (
                    <p className="muted small">None.</p>
                  ) : (
                    ps.map((p) => (
                      <details key={p.policyName} className="disclosure">
                        <summary>{p.policyName}</summary>
                        <pre className="json">{JSON.stringify(p.document, null, 2)}</pre>
                      </details>
                    ))
                  )
                }
              </PartView>
            </div>
          ))}
        </>
      )}
    </PartView>
  );
}

/** Tags as a line. */
export function TagsLine({ detail }: { detail: AwsInstanceDetail }) {
  return <span className="aws-wrap">{tagsText(detail.summary.tags) || '—'}</span>;
}
