import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRecord, ApiKeysService } from './api-keys.service';
import { ApiKeyModel, CreateApiKeyInput, CreatedApiKeyModel, RoleGql } from './api-key.model';
import { CurrentPrincipal, RequireRole } from './roles.decorator';
import type { Principal } from './roles';
import { parseId } from '../common/ids';

const toModel = (r: ApiKeyRecord): ApiKeyModel => ({
  ...r,
  id: String(r.id),
  role: r.role as RoleGql,
});

@Resolver(() => ApiKeyModel)
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @RequireRole('admin')
  @Query(() => [ApiKeyModel])
  async apiKeys(): Promise<ApiKeyModel[]> {
    return (await this.keys.list()).map(toModel);
  }

  @RequireRole('admin')
  @Mutation(() => CreatedApiKeyModel)
  async createApiKey(
    @Args('input') input: CreateApiKeyInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyModel> {
    const { key, record } = await this.keys.create(input.role, input.name, principal.keyId);
    return { key, apiKey: toModel(record) };
  }

  @RequireRole('admin')
  @Mutation(() => ApiKeyModel)
  async revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKeyModel> {
    return toModel(await this.keys.revoke(parseId(id, 'API key')));
  }
}
