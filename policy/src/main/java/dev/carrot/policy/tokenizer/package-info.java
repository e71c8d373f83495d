/**
 * Byte-level BPE tokenization, GPT-2 style, stored as Hugging Face {@code tokenizer.json}.
 *
 * <ul>
 *   <li>{@link dev.carrot.policy.tokenizer.BpeTrainer} learns a vocabulary of a given size from a corpus: 256 byte
 *       tokens (id = byte value), the learned merges, then {@code <|bos|>}, {@code <|eos|>}, {@code <|pad|>}.</li>
 *   <li>{@link dev.carrot.policy.tokenizer.Tokenizer} encodes text to ids and back, and loads and saves
 *       {@code tokenizer.json} (Carrot's own or GPT-2's layout).</li>
 *   <li>{@link dev.carrot.policy.tokenizer.StreamingDecoder} decodes ids one at a time during generation.</li>
 *   <li>{@link dev.carrot.policy.tokenizer.PreTokenizer} splits text into the pieces that merges stay within; Carrot's
 *       pattern puts every digit in a piece of its own.</li>
 * </ul>
 */
package dev.carrot.policy.tokenizer;
