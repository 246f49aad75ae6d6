import { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { AccessRegistry, RouteHandler } from '@cur/auth';
import { ROLE_TITLES } from '@cur/domain';
import { AccessRule } from '@cur/platform';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The OpenAPI document at /api/docs (JSON at /api/docs/openapi.json), built from what the code
 * already states: routes and parameters from Nest, request schemas from the class-validator rules
 * that validate them, and each route's access rule from the same metadata the guard enforces.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ЦУР: API')
    .setDescription(
      'Приём сообщений (ключ X-Api-Key источника), сортировка, работа организаций, сроки, контроль и дисциплина. ' +
        'Вход: POST /api/v1/auth/login → accessToken (заголовок Authorization: Bearer …). Ошибки: { statusCode, code, message, errors?: [{ field, message }] }.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, SchemaObject>;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemas } };

  const all = app.get(AccessRegistry).handlers();
  const handlers = new Map(all.map((h) => [`${h.method.toLowerCase()} ${h.path}`, h]));
  documentEveryPath(document, all);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const handler = handlers.get(`${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
      if (!handler) continue;
      describeAccess(operation, handler.access);
      describeInputs(operation, handler, schemas);
    }
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json', customSiteTitle: 'ЦУР: API' });
  return document;
}

/**
 * A handler bound to several paths (the console's page at each view's address) is documented by
 * Nest at its first path only: its other paths get the same operation, so the document lists every
 * route the service answers.
 */
function documentEveryPath(document: OpenAPIObject, handlers: RouteHandler[]): void {
  // A parameter follows a slash (`/:id`); a colon inside a segment is literal (`/messages:batch`).
  const openApiPath = (path: string) => path.replace(/\/:(\w+)/g, '/{$1}');
  for (const h of handlers) {
    const method = h.method.toLowerCase() as (typeof METHODS)[number];
    if (document.paths[openApiPath(h.path)]?.[method]) continue;
    const sibling = handlers.find(
      (o) => o !== h && o.controller === h.controller && o.methodName === h.methodName && document.paths[openApiPath(o.path)]?.[method],
    );
    if (!sibling) continue;
    const operation = document.paths[openApiPath(sibling.path)][method]!;
    document.paths[openApiPath(h.path)] = {
      ...document.paths[openApiPath(h.path)],
      [method]: { ...operation, operationId: `${operation.operationId}_${h.path}` },
    };
  }
}

function describeAccess(operation: OperationObject, rule: AccessRule | null): void {
  const text =
    !rule || rule.kind === 'public'
      ? 'Доступ: без входа.'
      : rule.kind === 'api-key'
        ? `Доступ: ключ источника X-Api-Key, разрешающий источник ${'fixed' in rule.source ? `«${rule.source.fixed}»` : `из поля ${rule.source.field} тела запроса`}.`
        : rule.kind === 'signed-in'
          ? 'Доступ: любой вошедший пользователь.'
          : `Доступ: ${rule.roles.map((r) => ROLE_TITLES[r]).join(', ')}.`;
  operation.description = [operation.description, text].filter(Boolean).join('\n\n');
  operation.security = !rule || rule.kind === 'public' ? [] : rule.kind === 'api-key' ? [{ apiKey: [] }] : [{ bearer: [] }];
  (operation as { 'x-access'?: unknown })['x-access'] = rule;
  if (rule && rule.kind !== 'public') {
    operation.responses['401'] ??= { description: rule.kind === 'api-key' ? 'Нет или неверный X-Api-Key' : 'Нет или недействителен токен доступа' };
    if (rule.kind === 'roles') operation.responses['403'] ??= { description: 'Роль не позволяет' };
  }
  operation.responses['400'] ??= { description: 'Некорректный запрос: errors называют поля' };
}

/** Query and body DTOs of the handler, from their class-validator rules. */
function describeInputs(operation: OperationObject, handler: RouteHandler, schemas: Record<string, SchemaObject>): void {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.controller, handler.methodName) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', handler.controller.prototype, handler.methodName) ?? []) as Type[];
  for (const [key, arg] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]) as RouteParamtypes; // the keys are `${RouteParamtypes}:${index}`
    const type = types[arg.index];
    const schema = type && schemas[type.name];
    if (!schema) continue;
    if (kind === RouteParamtypes.QUERY) {
      const required = new Set(schema.required ?? []);
      const parameters = (operation.parameters ?? []).filter((p) => !('in' in p) || p.in !== 'query') as ParameterObject[];
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: required.has(name), schema: property });
      }
      operation.parameters = parameters;
    }
    if (kind === RouteParamtypes.BODY) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${type.name}` } } } };
    }
  }
}
