/**
 * The built-in highlight rules, one JSON file each. Imported statically so esbuild inlines them
 * into dist/main/*.cjs; a test checks this list equals the folder. Add a rule: add its file and
 * one import line plus its entry below.
 */
import amiPublic from './ami-public.json' with { type: 'json' };
import amiShared from './ami-shared.json' with { type: 'json' };
import bedrockModelAccessEnabled from './bedrock-model-access-enabled.json' with { type: 'json' };
import cloudtrailDeleteTrail from './cloudtrail-delete-trail.json' with { type: 'json' };
import cloudtrailEventSelectorsChanged from './cloudtrail-event-selectors-changed.json' with { type: 'json' };
import cloudtrailStopLogging from './cloudtrail-stop-logging.json' with { type: 'json' };
import cloudtrailUpdateTrail from './cloudtrail-update-trail.json' with { type: 'json' };
import cloudwatchLogGroupDeleted from './cloudwatch-log-group-deleted.json' with { type: 'json' };
import consoleLoginFailed from './console-login-failed.json' with { type: 'json' };
import consoleLoginWithoutMfa from './console-login-without-mfa.json' with { type: 'json' };
import discoveryBurst from './discovery-burst.json' with { type: 'json' };
import dnsQueryLoggingDeleted from './dns-query-logging-deleted.json' with { type: 'json' };
import ebsSnapshotPublic from './ebs-snapshot-public.json' with { type: 'json' };
import ebsSnapshotShared from './ebs-snapshot-shared.json' with { type: 'json' };
import ec2GetPasswordData from './ec2-get-password-data.json' with { type: 'json' };
import ec2InstanceConnectKey from './ec2-instance-connect-key.json' with { type: 'json' };
import ec2SerialConsoleEnabled from './ec2-serial-console-enabled.json' with { type: 'json' };
import ec2UnusualInstanceType from './ec2-unusual-instance-type.json' with { type: 'json' };
import ec2UserDataModified from './ec2-user-data-modified.json' with { type: 'json' };
import ec2UserDataRead from './ec2-user-data-read.json' with { type: 'json' };
import guarddutyArchiveFilter from './guardduty-archive-filter.json' with { type: 'json' };
import guarddutyDeleteDetector from './guardduty-delete-detector.json' with { type: 'json' };
import guarddutyDisableDetector from './guardduty-disable-detector.json' with { type: 'json' };
import iamAttachAdminPolicy from './iam-attach-admin-policy.json' with { type: 'json' };
import iamCreateAccessKey from './iam-create-access-key.json' with { type: 'json' };
import iamCreateUser from './iam-create-user.json' with { type: 'json' };
import iamInlineWildcardPolicy from './iam-inline-wildcard-policy.json' with { type: 'json' };
import iamLoginProfileChanged from './iam-login-profile-changed.json' with { type: 'json' };
import iamRoleTrustOtherAccount from './iam-role-trust-other-account.json' with { type: 'json' };
import instanceCredentialsOutsideAws from './instance-credentials-outside-aws.json' with { type: 'json' };
import kmsDisableKey from './kms-disable-key.json' with { type: 'json' };
import kmsScheduleKeyDeletion from './kms-schedule-key-deletion.json' with { type: 'json' };
import lambdaLayerAdded from './lambda-layer-added.json' with { type: 'json' };
import lambdaPublicPermission from './lambda-public-permission.json' with { type: 'json' };
import lambdaUpdateCode from './lambda-update-code.json' with { type: 'json' };
import organizationsLeave from './organizations-leave.json' with { type: 'json' };
import rdsSnapshotShared from './rds-snapshot-shared.json' with { type: 'json' };
import rolesanywhereTrustAnchor from './rolesanywhere-trust-anchor.json' with { type: 'json' };
import s3BucketAclPublic from './s3-bucket-acl-public.json' with { type: 'json' };
import s3BucketPolicyPublic from './s3-bucket-policy-public.json' with { type: 'json' };
import s3PublicAccessBlockRemoved from './s3-public-access-block-removed.json' with { type: 'json' };
import secretsBulkRead from './secrets-bulk-read.json' with { type: 'json' };
import securityGroupOpenToWorld from './security-group-open-to-world.json' with { type: 'json' };
import securityhubDisabled from './securityhub-disabled.json' with { type: 'json' };
import ssmParametersBulkDecrypt from './ssm-parameters-bulk-decrypt.json' with { type: 'json' };
import ssmSendCommand from './ssm-send-command.json' with { type: 'json' };
import ssmStartSession from './ssm-start-session.json' with { type: 'json' };
import stsFederationToken from './sts-federation-token.json' with { type: 'json' };
import vpcFlowLogsDeleted from './vpc-flow-logs-deleted.json' with { type: 'json' };

/** Every rule file, by file name, not yet validated (load-rules.ts validates). */
export const RULE_FILES: readonly { source: string; value: unknown }[] = [
  { source: 'ami-public.json', value: amiPublic },
  { source: 'ami-shared.json', value: amiShared },
  { source: 'bedrock-model-access-enabled.json', value: bedrockModelAccessEnabled },
  { source: 'cloudtrail-delete-trail.json', value: cloudtrailDeleteTrail },
  { source: 'cloudtrail-event-selectors-changed.json', value: cloudtrailEventSelectorsChanged },
  { source: 'cloudtrail-stop-logging.json', value: cloudtrailStopLogging },
  { source: 'cloudtrail-update-trail.json', value: cloudtrailUpdateTrail },
  { source: 'cloudwatch-log-group-deleted.json', value: cloudwatchLogGroupDeleted },
  { source: 'console-login-failed.json', value: consoleLoginFailed },
  { source: 'console-login-without-mfa.json', value: consoleLoginWithoutMfa },
  { source: 'discovery-burst.json', value: discoveryBurst },
  { source: 'dns-query-logging-deleted.json', value: dnsQueryLoggingDeleted },
  { source: 'ebs-snapshot-public.json', value: ebsSnapshotPublic },
  { source: 'ebs-snapshot-shared.json', value: ebsSnapshotShared },
  { source: 'ec2-get-password-data.json', value: ec2GetPasswordData },
  { source: 'ec2-instance-connect-key.json', value: ec2InstanceConnectKey },
  { source: 'ec2-serial-console-enabled.json', value: ec2SerialConsoleEnabled },
  { source: 'ec2-unusual-instance-type.json', value: ec2UnusualInstanceType },
  { source: 'ec2-user-data-modified.json', value: ec2UserDataModified },
  { source: 'ec2-user-data-read.json', value: ec2UserDataRead },
  { source: 'guardduty-archive-filter.json', value: guarddutyArchiveFilter },
  { source: 'guardduty-delete-detector.json', value: guarddutyDeleteDetector },
  { source: 'guardduty-disable-detector.json', value: guarddutyDisableDetector },
  { source: 'iam-attach-admin-policy.json', value: iamAttachAdminPolicy },
  { source: 'iam-create-access-key.json', value: iamCreateAccessKey },
  { source: 'iam-create-user.json', value: iamCreateUser },
  { source: 'iam-inline-wildcard-policy.json', value: iamInlineWildcardPolicy },
  { source: 'iam-login-profile-changed.json', value: iamLoginProfileChanged },
  { source: 'iam-role-trust-other-account.json', value: iamRoleTrustOtherAccount },
  { source: 'instance-credentials-outside-aws.json', value: instanceCredentialsOutsideAws },
  { source: 'kms-disable-key.json', value: kmsDisableKey },
  { source: 'kms-schedule-key-deletion.json', value: kmsScheduleKeyDeletion },
  { source: 'lambda-layer-added.json', value: lambdaLayerAdded },
  { source: 'lambda-public-permission.json', value: lambdaPublicPermission },
  { source: 'lambda-update-code.json', value: lambdaUpdateCode },
  { source: 'organizations-leave.json', value: organizationsLeave },
  { source: 'rds-snapshot-shared.json', value: rdsSnapshotShared },
  { source: 'rolesanywhere-trust-anchor.json', value: rolesanywhereTrustAnchor },
  { source: 's3-bucket-acl-public.json', value: s3BucketAclPublic },
  { source: 's3-bucket-policy-public.json', value: s3BucketPolicyPublic },
  { source: 's3-public-access-block-removed.json', value: s3PublicAccessBlockRemoved },
  { source: 'secrets-bulk-read.json', value: secretsBulkRead },
  { source: 'security-group-open-to-world.json', value: securityGroupOpenToWorld },
  { source: 'securityhub-disabled.json', value: securityhubDisabled },
  { source: 'ssm-parameters-bulk-decrypt.json', value: ssmParametersBulkDecrypt },
  { source: 'ssm-send-command.json', value: ssmSendCommand },
  { source: 'ssm-start-session.json', value: ssmStartSession },
  { source: 'sts-federation-token.json', value: stsFederationToken },
  { source: 'vpc-flow-logs-deleted.json', value: vpcFlowLogsDeleted },
];
