/** The CloudTrail timeline: filters → SQL (filters.ts) and the queries the contract serves (timeline.ts). */
export { buildWhere, pageQuery, encodeCursor, decodeCursor, ftsPhrase, LIST_COLUMNS } from './filters.js';
export { queryTimeline, getTimelineEvent, timelineFacets, timelineHistogram, TOTAL_CAP } from './timeline.js';
