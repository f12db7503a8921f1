import type { FastifyInstance } from 'fastify';
import type { Services } from '../http/services.js';

export function registerTeamRoutes(_app: FastifyInstance, _services: Services) {}
