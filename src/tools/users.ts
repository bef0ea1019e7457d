import { apiPath } from '../gateway/rest.js';
import { getTool, listTool, copyWhenSet, type Rec } from './result.js';

/** userToMap: the MCP server shows fewer keys than REST (no role, groups or picture). */
function userToMcp(u: Rec): Rec {
  return copyWhenSet({ id: u.id, email: u.email, name: u.name, status: u.status, verified: u.verified }, u, ['slack_id']);
}

export const usersList = listTool({ name: 'users_list', domain: 'users', description: 'List the users of your organization with their status.', path: '/users', toMcp: userToMcp });

export const usersGet = getTool({
  name: 'users_get',
  domain: 'users',
  description: 'Get one user by email address.',
  key: 'email',
  path: (v) => apiPath`/users/${v}`,
  on: { 404: 'user not found' },
  toMcp: userToMcp,
});

export const userTools = [usersList, usersGet];
