// Talks to `carrot serve` with the official openai client for Node.js: a completion, a chat completion and a
// streamed chat completion, asserting the shape of each. Exits non-zero on the first failure.
//
//   node check.mjs BASE_URL MODEL KEY       e.g. node check.mjs http://127.0.0.1:8000/v1 tiny sk-...
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const [baseURL, model, apiKey] = process.argv.slice(2);
if (!baseURL || !model || !apiKey) {
  console.error('usage: node check.mjs BASE_URL MODEL KEY');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });

const models = await client.models.list();
assert.ok(models.data.some((m) => m.id === model), `GET /models lists ${model}`);

const completion = await client.completions.create({
  model, prompt: 'Question: What is the capital of Varnelia?\nAnswer:', max_tokens: 6, temperature: 0,
  stop: ['\n'], logprobs: 0,
});
assert.equal(completion.object, 'text_completion');
assert.equal(completion.choices.length, 1);
assert.equal(typeof completion.choices[0].text, 'string');
assert.ok(['stop', 'length'].includes(completion.choices[0].finish_reason));
const tokenLogprobs = completion.choices[0].logprobs.token_logprobs;
assert.ok(tokenLogprobs.length > 0 && tokenLogprobs.every((lp) => typeof lp === 'number' && lp <= 0));
assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
console.log(`completion: ${JSON.stringify(completion.choices[0].text)}`);

const messages = [{ role: 'user', content: 'What is the capital of Varnelia?' }];
const chat = await client.chat.completions.create({ model, messages, max_tokens: 6, temperature: 0, n: 2 });
assert.equal(chat.object, 'chat.completion');
assert.equal(chat.choices.length, 2);
assert.equal(chat.choices[0].message.role, 'assistant');
assert.equal(typeof chat.choices[0].message.content, 'string');
assert.equal(chat.choices[0].message.content, chat.choices[1].message.content, 'greedy choices agree');
console.log(`chat: ${JSON.stringify(chat.choices[0].message.content)}`);

const stream = await client.chat.completions.create({
  model, messages, max_tokens: 6, temperature: 0, stream: true, stream_options: { include_usage: true },
});
let streamed = '';
let finish = null;
let usage = null;
for await (const chunk of stream) {
  assert.equal(chunk.object, 'chat.completion.chunk');
  for (const choice of chunk.choices) {
    streamed += choice.delta.content ?? '';
    finish = choice.finish_reason ?? finish;
  }
  usage = chunk.usage ?? usage;
}
assert.equal(streamed, chat.choices[0].message.content, 'the stream says what the chat said');
assert.ok(['stop', 'length'].includes(finish));
assert.ok(usage && usage.completion_tokens > 0);
console.log(`stream: ${JSON.stringify(streamed)}`);

try {
  await client.chat.completions.create({ model: 'no-such-model', messages, max_tokens: 2 });
  assert.fail('an unknown model must be refused');
} catch (e) {
  assert.ok(e instanceof OpenAI.NotFoundError, `404 as the client's NotFoundError, got ${e}`);
}
console.log('openai-node check passed');
