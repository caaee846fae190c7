/** The resource records the fake keeps: plain data, rendered to XML/JSON by the service modules. */
import type { BlockSource } from './block-source.js';

/** An EC2 tag. */
export interface Tag {
  key: string;
  value: string;
}

/** One EBS volume attached to an instance. */
export interface BlockDevice {
  deviceName: string;
  volumeId: string;
  deleteOnTermination: boolean;
  attachTime: Date;
}

/** EC2 instance state names with their numeric codes. */
export const INSTANCE_STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;

/** An EC2 instance. */
export interface Instance {
  instanceId: string;
  ownerId: string;
  region: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  state: keyof typeof INSTANCE_STATE_CODES;
  stateTransitionReason: string;
  stateReason?: { code: string; message: string };
  availabilityZone: string;
  launchTime: Date;
  privateIpAddress: string;
  privateDnsName: string;
  publicIpAddress?: string;
  publicDnsName?: string;
  subnetId: string;
  vpcId: string;
  keyName?: string;
  architecture: string;
  platformDetails: string;
  rootDeviceName: string;
  securityGroupIds: string[];
  iamInstanceProfile?: { arn: string; id: string };
  blockDevices: BlockDevice[];
  networkInterfaceIds: string[];
  tags: Tag[];
  /** User data as the instance received it (rendered base64 by DescribeInstanceAttribute). */
  userData?: string;
  disableApiTermination: boolean;
  instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  /** Serial console text; GetConsoleOutput returns the last 64 KiB of it, base64. */
  consoleOutput?: string;
}

/** An EBS volume; `imagePath` is the content snapshots of it will serve through EBS direct. */
export interface Volume {
  volumeId: string;
  ownerId: string;
  region: string;
  availabilityZone: string;
  sizeGiB: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  snapshotId?: string;
  createTime: Date;
  tags: Tag[];
  imagePath?: string;
}

/** An EBS snapshot lock (LockSnapshot). */
export interface SnapshotLock {
  mode: 'compliance' | 'governance';
  lockDurationDays?: number;
  coolOffHours?: number;
  createdOn: Date;
  durationStart: Date;
  expiresOn: Date;
}

/** An EBS snapshot. `content` absent means an empty (all-zero, nothing listed) volume. */
export interface Snapshot {
  snapshotId: string;
  ownerId: string;
  region: string;
  volumeId: string;
  volumeSizeGiB: number;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string;
  startTime: Date;
  completionTime?: Date;
  state: 'pending' | 'completed' | 'error';
  /** 0..100; advanced by time (`completeAtMs`) or by the test through the state API. */
  progress: number;
  /** When a pending snapshot completes by itself; null = only when a test says so. */
  completeAtMs: number | null;
  tags: Tag[];
  /** Account ids (or 'all') allowed to create volumes from it: ModifySnapshotAttribute. */
  createVolumePermission: Set<string>;
  content?: BlockSource;
  lock?: SnapshotLock;
}

/** One security group rule; DescribeSecurityGroups groups rules into IpPermissions. */
export interface SgRule {
  ruleId: string;
  egress: boolean;
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  groupId?: string;
  description?: string;
}

/** A VPC security group. */
export interface SecurityGroup {
  groupId: string;
  ownerId: string;
  region: string;
  vpcId: string;
  groupName: string;
  description: string;
  rules: SgRule[];
  tags: Tag[];
}

/** An elastic network interface. */
export interface NetworkInterface {
  networkInterfaceId: string;
  ownerId: string;
  region: string;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  description: string;
  macAddress: string;
  privateIpAddress: string;
  privateDnsName: string;
  publicIp?: string;
  publicDnsName?: string;
  groupIds: string[];
  attachment?: { attachmentId: string; instanceId: string; deviceIndex: number; attachTime: Date; deleteOnTermination: boolean };
  tags: Tag[];
}

/** IAM role with its inline and attached policies. Documents are JSON objects. */
export interface Role {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: Date;
  assumeRolePolicy: object;
  inlinePolicies: Record<string, object>;
  attachedPolicyArns: string[];
}

/** IAM instance profile. */
export interface InstanceProfile {
  name: string;
  id: string;
  arn: string;
  path: string;
  createDate: Date;
  roleNames: string[];
}

/** IAM managed policy and its versions. */
export interface ManagedPolicy {
  arn: string;
  name: string;
  id: string;
  path: string;
  defaultVersionId: string;
  attachmentCount: number;
  createDate: Date;
  updateDate: Date;
  versions: Record<string, { document: object; createDate: Date }>;
}

/** One request as the fake saw it: what tests assert custody records against. */
export interface CallRecord {
  seq: number;
  time: Date;
  service: string;
  action: string;
  /** EC2/STS/IAM: the flat form parameters (without Action/Version); EBS: path and query values. */
  params: Record<string, string>;
  requestId: string;
  dryRun: boolean;
  status: number;
  errorCode?: string;
  region: string;
  accountId?: string;
  accessKeyId?: string;
  /** The XML/JSON body sent back (binary block data is not kept). */
  responseBody?: string;
}
