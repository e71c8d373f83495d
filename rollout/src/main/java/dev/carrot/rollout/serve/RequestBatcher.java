package dev.carrot.rollout.serve;

import dev.carrot.rollout.Completion;
import dev.carrot.rollout.PromptRequest;
import dev.carrot.rollout.RolloutService;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the prompts of concurrent requests into batches for the rollout workers: a batch leaves
 * {@code windowMillis} after its first request arrived, or at once when it holds {@code maxPrompts} prompts, so
 * clients that ask together are decoded together. Every prompt carries its own sampling and seed, so batching changes
 * a completion only through the rounding of batched products ({@link dev.carrot.policy.generate.Seed}). A request with more prompts than a batch holds travels alone.
 *
 * <p>Confined to one Vert.x context: {@link #submit} must be called on it, and the futures it returns complete on
 * it.
 */
final class RequestBatcher {

    private record Pending(List<PromptRequest> prompts, CompletableFuture<List<Completion>> result) {}

    private final Context context;
    private final RolloutService rollouts;
    private final long windowMillis;
    private final int maxPrompts;
    private List<Pending> batch = new ArrayList<>();
    private int prompts;
    private long timer = -1;

    RequestBatcher(Context context, RolloutService rollouts, long windowMillis, int maxPrompts) {
        this.context = context;
        this.rollouts = rollouts;
        this.windowMillis = windowMillis;
        this.maxPrompts = maxPrompts;
    }

    /** The completions of {@code requests}, in order, once the batch they join is generated. */
    CompletableFuture<List<Completion>> submit(List<PromptRequest> requests) {
        Pending pending = new Pending(List.copyOf(requests), new CompletableFuture<>());
        if (prompts > 0 && prompts + requests.size() > maxPrompts) {
            flush();
        }
        batch.add(pending);
        prompts += requests.size();
        if (prompts >= maxPrompts) {
            flush();
        } else if (timer < 0) {
            timer = context.owner().setTimer(Math.max(1, windowMillis), id -> {
                timer = -1;
                flush();
            });
        }
        return pending.result();
    }

    private void flush() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> leaving = batch;
        batch = new ArrayList<>();
        prompts = 0;
        List<PromptRequest> all = new ArrayList<>();
        for (Pending pending : leaving) {
            all.addAll(pending.prompts());
        }
        rollouts.generate(all).whenComplete((completions, failure) -> context.runOnContext(ignored -> {
            int first = 0;
            for (Pending pending : leaving) {
                if (failure != null) {
                    pending.result().completeExceptionally(failure);
                } else {
                    pending.result().complete(completions.subList(first, first + pending.prompts().size()));
                }
                first += pending.prompts().size();
            }
        }));
    }
}
