export * from './auth';
export * from './audit';
export * from './outbox';
export * from './tokens';
export * from './rate-limits';
export * from './orgs';
export * from './statements';
export * from './invitations';
