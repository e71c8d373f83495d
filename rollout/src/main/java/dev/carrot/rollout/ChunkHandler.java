package dev.carrot.rollout;

/** What a rollout worker does with one request, on the worker's own thread. */
@FunctionalInterface
interface ChunkHandler {

    ChunkResult serve(ChunkRequest request);
}
