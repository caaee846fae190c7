/**
 * Containment: an isolation security group (create it, strip its default egress rule) and the
 * per-interface group change (ModifyNetworkInterfaceAttribute) multi-interface instances need.
 */
import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import { getGroup, visibleGroups } from './ec2-lookup.js';
import type { Instance, NetworkInterface, SecurityGroup, SgRule } from './model.js';
import { boolParam, intParam, listParam, required, structIndexes, tagSpecifications } from './query-params.js';
import { el, fields, itemList, tagSet } from './xml.js';

/** The VPC CreateSecurityGroup uses when no VpcId is given: the one holding the 'default' group. */
function defaultVpc(ctx: RequestContext): string {
  const dflt = visibleGroups(ctx).find((g) => g.groupName === 'default');
  if (!dflt) throw AwsError.ec2('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
  return dflt.vpcId;
}

/** CreateSecurityGroup: a VPC group, which AWS creates with one allow-all egress rule. */
export function createSecurityGroup(ctx: RequestContext): string {
  const p = ctx.params;
  const name = required(p, 'GroupName');
  const description = required(p, 'GroupDescription');
  if (name.startsWith('sg-')) throw AwsError.ec2('InvalidParameterValue', "Group names may not be in the format sg-*.");
  const vpcId = p.VpcId ?? defaultVpc(ctx);
  if (visibleGroups(ctx).some((g) => g.groupName === name && g.vpcId === vpcId)) {
    throw AwsError.ec2('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
  }
  const group: SecurityGroup = {
    groupId: ctx.state.newId('sg'),
    ownerId: ctx.identity.accountId,
    region: ctx.region,
    vpcId,
    groupName: name,
    description,
    rules: [{ ruleId: ctx.state.newId('sgr'), egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }],
    tags: tagSpecifications(p, 'security-group'),
  };
  ctx.state.securityGroups.set(group.groupId, group);
  return (
    fields({ return: true, groupId: group.groupId, securityGroupArn: `arn:aws:ec2:${group.region}:${group.ownerId}:security-group/${group.groupId}` }) +
    (group.tags.length > 0 ? tagSet(group.tags) : '')
  );
}

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function protocol(p: string): string {
  return PROTOCOL_NUMBERS[p.toLowerCase()] ?? p.toLowerCase();
}

/** A rule asked for in IpPermissions, flattened to one source per entry. */
type WantedRule = Pick<SgRule, 'ipProtocol' | 'fromPort' | 'toPort' | 'cidrIpv4' | 'cidrIpv6' | 'groupId'>;

function wantedRules(p: Record<string, string>): WantedRule[] {
  const out: WantedRule[] = [];
  for (const i of structIndexes(p, 'IpPermissions')) {
    const pre = `IpPermissions.${i}`;
    const base = { ipProtocol: protocol(required(p, `${pre}.IpProtocol`)), fromPort: intParam(p, `${pre}.FromPort`), toPort: intParam(p, `${pre}.ToPort`) };
    for (const j of structIndexes(p, `${pre}.IpRanges`)) out.push({ ...base, cidrIpv4: p[`${pre}.IpRanges.${j}.CidrIp`] });
    for (const j of structIndexes(p, `${pre}.Ipv6Ranges`)) out.push({ ...base, cidrIpv6: p[`${pre}.Ipv6Ranges.${j}.CidrIpv6`] });
    for (const j of structIndexes(p, `${pre}.Groups`)) out.push({ ...base, groupId: p[`${pre}.Groups.${j}.GroupId`] });
  }
  if (p.IpProtocol || p.CidrIp) {
    out.push({ ipProtocol: protocol(p.IpProtocol ?? '-1'), fromPort: intParam(p, 'FromPort'), toPort: intParam(p, 'ToPort'), cidrIpv4: p.CidrIp });
  }
  return out;
}

function sameRule(rule: SgRule, want: WantedRule): boolean {
  if (!rule.egress || rule.ipProtocol !== want.ipProtocol) return false;
  if (rule.ipProtocol !== '-1' && (rule.fromPort !== want.fromPort || rule.toPort !== want.toPort)) return false;
  return rule.cidrIpv4 === want.cidrIpv4 && rule.cidrIpv6 === want.cidrIpv6 && rule.groupId === want.groupId;
}

/** RevokeSecurityGroupEgress by IpPermissions or SecurityGroupRuleId.N. */
export function revokeSecurityGroupEgress(ctx: RequestContext): string {
  const group = getGroup(ctx, required(ctx.params, 'GroupId'));
  const ruleIds = listParam(ctx.params, 'SecurityGroupRuleId');
  const wanted = wantedRules(ctx.params);
  if (ruleIds.length === 0 && wanted.length === 0) {
    throw AwsError.ec2('MissingParameter', 'The request must contain the parameter ipPermissions or securityGroupRuleIds');
  }
  const revoked: SgRule[] = [];
  const unknown: WantedRule[] = [];
  for (const id of ruleIds) {
    const rule = group.rules.find((r) => r.ruleId === id && r.egress);
    if (!rule) throw AwsError.ec2('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
    revoked.push(rule);
  }
  for (const want of wanted) {
    const rule = group.rules.find((r) => sameRule(r, want));
    if (rule) revoked.push(rule);
    else unknown.push(want);
  }
  if (revoked.length === 0) throw AwsError.ec2('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  group.rules = group.rules.filter((r) => !revoked.includes(r));
  return (
    el('return', true) +
    (unknown.length > 0
      ? itemList('unknownIpPermissionSet', unknown, (u) =>
          fields({ ipProtocol: u.ipProtocol, fromPort: u.fromPort, toPort: u.toPort }) +
          (u.cidrIpv4 ? itemList('ipRanges', [u.cidrIpv4], (c) => el('cidrIp', c)) : ''),
        )
      : '') +
    itemList('revokedSecurityGroupRuleSet', revoked, (r) =>
      fields({ securityGroupRuleId: r.ruleId, groupId: group.groupId, isEgress: true, ipProtocol: r.ipProtocol, fromPort: r.fromPort ?? -1, toPort: r.toPort ?? -1 }) +
      fields({ cidrIpv4: r.cidrIpv4, cidrIpv6: r.cidrIpv6, referencedGroupId: r.groupId, description: r.description }),
    )
  );
}

/** The interfaces attached to an instance, in device order. */
export function attachedInterfaces(ctx: RequestContext, inst: Instance): NetworkInterface[] {
  return inst.networkInterfaceIds
    .map((id) => ctx.state.networkInterfaces.get(id))
    .filter((e): e is NetworkInterface => e !== undefined && e.attachment?.instanceId === inst.instanceId)
    .sort((a, b) => a.attachment!.deviceIndex - b.attachment!.deviceIndex);
}

/** The instance-level group list the fake shows: every group of its interfaces, primary first. */
export function syncInstanceGroups(ctx: RequestContext, inst: Instance): void {
  const enis = attachedInterfaces(ctx, inst);
  if (enis.length > 0) inst.securityGroupIds = [...new Set(enis.flatMap((e) => e.groupIds))];
}

/** Checks that each group exists in the caller's account, region and the given VPC. */
export function checkGroupsInVpc(ctx: RequestContext, groupIds: string[], owner: { ownerId: string; region: string; vpcId: string }): void {
  for (const id of groupIds) {
    const g = ctx.state.securityGroups.get(id);
    if (!g || g.ownerId !== owner.ownerId || g.region !== owner.region) throw AwsError.ec2('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    if (g.vpcId !== owner.vpcId) throw AwsError.ec2('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${owner.vpcId}'`);
  }
}

/** ModifyNetworkInterfaceAttribute: one attribute per call; SecurityGroupId.N replaces the interface's groups. */
export function modifyNetworkInterfaceAttribute(ctx: RequestContext): string {
  const p = ctx.params;
  const id = required(p, 'NetworkInterfaceId');
  if (!/^eni-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw AwsError.ec2('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${id}"`);
  const eni = ctx.state.networkInterfaces.get(id);
  if (!eni || eni.ownerId !== ctx.identity.accountId || eni.region !== ctx.region) {
    throw AwsError.ec2('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
  }
  const groups = listParam(p, 'SecurityGroupId');
  const description = p['Description.Value'];
  const sourceDest = boolParam(p, 'SourceDestCheck.Value');
  const attachment = p['Attachment.AttachmentId'] !== undefined || p['Attachment.DeleteOnTermination'] !== undefined;
  const changes = [groups.length > 0, description !== undefined, sourceDest !== undefined, attachment];
  if (changes.filter(Boolean).length !== 1) {
    throw AwsError.ec2('InvalidParameterCombination', 'Exactly one attribute must be specified per ModifyNetworkInterfaceAttribute request.');
  }
  if (groups.length === 0) {
    // Only the group change is modelled; the other attributes are refused rather than silently ignored.
    throw AwsError.ec2('InvalidParameterValue', 'This fake models only the SecurityGroupId attribute of ModifyNetworkInterfaceAttribute.');
  }
  checkGroupsInVpc(ctx, groups, eni);
  eni.groupIds = [...new Set(groups)];
  const inst = eni.attachment ? ctx.state.instances.get(eni.attachment.instanceId) : undefined;
  if (inst) syncInstanceGroups(ctx, inst);
  return el('return', true);
}
