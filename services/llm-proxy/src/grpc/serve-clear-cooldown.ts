import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { Logger, SharedState } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import { ClearCooldownResponseSchema, toGrpcStatus, type ClearCooldownRequest, type ClearCooldownResponse } from '@nachos/proto';

/** Ends one cooldown by hand (through the admin API); every replica reads the shared state, so all use the key again. */
export async function serveClearCooldown(
  call: grpc.ServerUnaryCall<ClearCooldownRequest, ClearCooldownResponse>,
  callback: grpc.sendUnaryData<ClearCooldownResponse>,
  state: SharedState,
  logger: Logger,
): Promise<void> {
  try {
    const key = call.request.key;
    if (!key) throw new ProviderError({ kind: 'invalid_request', message: 'Name the cooldown to clear (its key, as the cooldown list gives it).' });
    const cleared = await state.clearCooldown(key);
    if (cleared) logger.warn('cooldown cleared by an operator', { cooldownKey: key });
    callback(null, create(ClearCooldownResponseSchema, { cleared }));
  } catch (error) {
    const status = toGrpcStatus(error);
    callback(Object.assign(new Error(status.details), status));
  }
}
