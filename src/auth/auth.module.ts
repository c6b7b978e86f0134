import { Global, Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';

/** API keys; global so every module's resolvers can use the guard's principal. */
@Global()
@Module({
  providers: [ApiKeysService],
  exports: [ApiKeysService],
})
export class AuthModule {}
