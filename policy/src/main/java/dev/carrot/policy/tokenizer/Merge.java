package dev.carrot.policy.tokenizer;

/**
 * One BPE merge rule, spelled as in {@code tokenizer.json}: the adjacent tokens {@code left} and {@code right} (in
 * the byte-level alphabet) become the token {@code left + right}. A merge's rank is its index in the merge list;
 * lower ranks apply first.
 */
record Merge(String left, String right) {}
