package dev.carrot.rollout;

/**
 * A rollout worker as the dispatcher sees it: where to send its requests and how many it serves at once.
 *
 * @param name     how completions and logs name it, e.g. {@code local-1} or {@code host-4242}
 * @param address  its event-bus address
 * @param capacity requests it serves at the same time (its slots); ≥ 1
 * @param node     the cluster node it runs on, so that it is dropped when the node leaves; empty in-process
 */
record WorkerEndpoint(String name, String address, int capacity, String node) {

    WorkerEndpoint {
        if (capacity < 1) {
            throw new IllegalArgumentException("worker " + name + ": capacity must be at least 1, got " + capacity);
        }
    }

    /** Whether it runs in this process, listening on a local-only address. */
    boolean inProcess() {
        return node.isEmpty();
    }
}
