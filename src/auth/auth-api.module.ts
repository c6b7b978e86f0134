import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysResolver } from './api-keys.resolver';
import { RolesGuard } from './roles.guard';

/** GraphQL side of auth: the global role guard and key management. */
@Module({
  providers: [ApiKeysResolver, { provide: APP_GUARD, useClass: RolesGuard }],
})
export class AuthApiModule {}
