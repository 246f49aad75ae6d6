/**
 * The types the console (apps/console) reads from the API: types only, so the browser bundle takes
 * nothing from the server's code, while a server change that breaks a screen fails the console's
 * type check.
 */
export type * from './messages';
export type * from './monthly-report';
export type * from './users';
export type * from './classifier';
export type * from './admin';
export type * from './sla';
export type * from './discipline';
export type * from './dashboard';
export type * from './engagements';
export type * from './engagement-comments';
