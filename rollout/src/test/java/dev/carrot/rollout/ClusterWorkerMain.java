package dev.carrot.rollout;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link ClusterWorker} in a JVM of its own, for the cluster tests. Arguments: cluster name, Hazelcast port, secret
 * file, worker name, a batch id and how many milliseconds to hold each request of that batch before serving it (so
 * that a test can kill the worker while it serves). Prints {@code serving <batch> <chunk>} when a request starts, so
 * that the test sees it.
 */
final class ClusterWorkerMain {

    private ClusterWorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ClusterOptions options = new ClusterOptions(args[0], ClusterOptions.DEFAULT_HOST, List.of(),
                Integer.parseInt(args[1]), 0, 0, Path.of(args[2]), null, null);
        String heldBatch = args[4];
        long holdMillis = Long.parseLong(args[5]);
        ClusterWorker.start(options, args[3], 1, handler -> request -> {
            System.out.println("serving " + request.requestId() + " " + request.chunkIndex());
            System.out.flush();
            if (request.requestId().equals(heldBatch)) {
                try {
                    Thread.sleep(holdMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return handler.serve(request);
        });
        new CountDownLatch(1).await(); // serve until killed
    }
}
