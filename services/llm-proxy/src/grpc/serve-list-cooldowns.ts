import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { SharedState } from '@nachos/common';
import { ListCooldownsResponseSchema, toGrpcStatus, type ListCooldownsResponse } from '@nachos/proto';

/** The cooldowns in force, soonest to end first, with where the state lives. */
export async function serveListCooldowns(state: SharedState, callback: grpc.sendUnaryData<ListCooldownsResponse>): Promise<void> {
  try {
    const cooldowns = (await state.listCooldowns()).sort((a, b) => a.untilMs - b.untilMs);
    callback(
      null,
      create(ListCooldownsResponseSchema, {
        cooldowns: cooldowns.map((cooldown) => ({ key: cooldown.key, reason: cooldown.reason, untilMs: BigInt(cooldown.untilMs) })),
        state: state.mode(),
      }),
    );
  } catch (error) {
    const status = toGrpcStatus(error);
    callback(Object.assign(new Error(status.details), status));
  }
}
