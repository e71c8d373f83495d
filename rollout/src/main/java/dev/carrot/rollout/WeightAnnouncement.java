package dev.carrot.rollout;

import java.util.List;

/**
 * What the trainer tells workers about a published weights version: where to get it and how to check it, never the
 * weights themselves. The files are those of a policy checkpoint (config, tokenizer, network and value head), so
 * that a worker started without a model learns everything it needs from the first version it fetches.
 *
 * @param trainer the trainer's cluster node
 * @param url     the trainer's weight endpoint, e.g. {@code http://10.0.0.5:40123/weights/}; a version's files are
 *                at {@code url + dir + "/" + name}
 * @param version the weights version
 * @param dir     the version's directory, under {@code url} or under a shared weights directory
 * @param files   every file of the version
 */
record WeightAnnouncement(String trainer, String url, long version, String dir, List<File> files) {

    /** One file of a version, with its size and SHA-256 (lower-case hex). */
    record File(String name, long size, String sha256) {}

    WeightAnnouncement {
        files = List.copyOf(files);
    }

    long bytes() {
        return files.stream().mapToLong(File::size).sum();
    }
}
