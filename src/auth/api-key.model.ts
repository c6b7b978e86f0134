import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RoleGql {
  viewer = 'viewer',
  procurement = 'procurement',
  ops = 'ops',
  admin = 'admin',
}
registerEnumType(RoleGql, { name: 'Role' });

@ObjectType('ApiKey')
export class ApiKeyModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => RoleGql)
  role!: RoleGql;

  @Field({ description: 'First characters of the key, to recognize it.' })
  keyPrefix!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel {
  @Field({ description: 'The key itself. Shown once: store it now.' })
  key!: string;

  @Field(() => ApiKeyModel)
  apiKey!: ApiKeyModel;
}

@InputType('CreateApiKeyInput')
export class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field(() => RoleGql)
  role!: RoleGql;
}
