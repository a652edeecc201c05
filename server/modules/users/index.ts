/** Accounts: what other modules may use (a user list import creates accounts through it). */
export { createAccounts, findAccounts, type AccountInput, type CreatedAccount } from './account-batch.ts';
