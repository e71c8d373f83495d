/**
 * The policy behind OpenAI's HTTP API: {@link dev.carrot.rollout.serve.OpenAiServer} validates requests
 * ({@code RequestParser}, {@code ChatTranscript}), gathers them into batches for the rollout workers
 * ({@code RequestBatcher}) and answers in OpenAI's shapes ({@code ApiResponses}, {@code OpenAiError}).
 */
package dev.carrot.rollout.serve;
