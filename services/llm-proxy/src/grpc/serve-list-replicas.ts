import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { ReplicaDirectory } from '@nachos/common';
import { ListReplicasResponseSchema, type ListReplicasResponse } from '@nachos/proto';

/** The llm-proxy replicas alive, each with its own status (the directory falls back to this one alone, never fails). */
export async function serveListReplicas(replicas: ReplicaDirectory, callback: grpc.sendUnaryData<ListReplicasResponse>): Promise<void> {
  const listed = await replicas.list();
  callback(
    null,
    create(ListReplicasResponseSchema, {
      replicas: listed.map((replica) => ({
        instance: replica.replica,
        status: replica.status,
        startedAtMs: BigInt(Date.parse(replica.started_at)),
        seenAtMs: BigInt(Date.parse(replica.seen_at)),
      })),
    }),
  );
}
