package dev.carrot.rewards.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A job's {@code reward:} section: the scheme, the shaping terms added to it, and the failure policy.
 *
 * <pre>{@code
 * reward:
 *   scheme: calibration            # or  sum: [{scheme: ..., weight: ...}, ...]  or  remote: {url: ...}
 *   params: {correct: 1.0, incorrect: -4.0}
 *   shaping:                       # optional terms added to the scheme, each with a weight (default 1)
 *     - {scheme: format, weight: 0.1}
 *     - {scheme: length, params: {max_tokens: 32, penalty: 0.01}}
 *   on_failure: {policy: fail}     # default; or {policy: penalty, value: -4.0}
 * }</pre>
 *
 * The structure is checked when the file is read; scheme parameters are checked by each scheme when the registry
 * builds it. Either way, errors name the file and the field.
 *
 * @param scheme    the main scheme
 * @param shaping   terms added to it, in order; often empty
 * @param onFailure what a failing or non-finite reward leads to; default {@link FailurePolicy.Fail}
 */
public record RewardConfig(SchemeSpec scheme, List<SchemeSpec.Term> shaping, FailurePolicy onFailure) {

    private static final Set<String> SECTION_KEYS =
            Set.of("scheme", "params", "sum", "remote", "shaping", "on_failure");
    private static final Set<String> TERM_KEYS = Set.of("scheme", "params", "sum", "remote", "weight");
    private static final Set<String> SPEC_KINDS = Set.of("scheme", "sum", "remote");
    private static final Set<String> REMOTE_KEYS = Set.of("url", "timeout_ms", "retries", "backoff_ms");
    private static final Set<String> FAILURE_KEYS = Set.of("policy", "value");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public RewardConfig {
        Objects.requireNonNull(scheme, "scheme");
        shaping = List.copyOf(shaping);
        Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Reads the reward section of a YAML file: either a job config with a top-level {@code reward:} section, or a
     * scheme file that is just such a section.
     */
    public static RewardConfig load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Reads the reward section of YAML text; {@code source} names it in error messages. */
    public static RewardConfig parse(String yaml, String source) {
        JsonNode document;
        try {
            document = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new RewardConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        ConfigLocation root = new ConfigLocation(source, "");
        Object tree = plain(document);
        if (tree == null) {
            throw root.error("the file is empty; expected a reward section");
        }
        Map<String, Object> top = root.mapping(tree);
        if (top.containsKey("reward")) {
            return fromSection(top.get("reward"), root.field("reward"));
        }
        if (SPEC_KINDS.stream().anyMatch(top::containsKey)) {
            return fromSection(top, root);
        }
        throw root.error("no reward section: expected a top-level 'reward:' (or a bare section with "
                + ConfigLocation.oneOf(SPEC_KINDS) + ")");
    }

    /** Reads a reward section that a job config loader has already located, such as its {@code reward:} node. */
    public static RewardConfig fromSection(JsonNode section, ConfigLocation at) {
        return fromSection(plain(section), at);
    }

    private static RewardConfig fromSection(Object section, ConfigLocation at) {
        Map<String, Object> node = at.mapping(section);
        at.requireOnly(node, SECTION_KEYS);
        SchemeSpec scheme = spec(node, at);
        List<SchemeSpec.Term> shaping = new ArrayList<>();
        if (node.containsKey("shaping")) {
            ConfigLocation list = at.field("shaping");
            List<Object> items = list.list(node.get("shaping"));
            for (int i = 0; i < items.size(); i++) {
                shaping.add(term(items.get(i), list.item(i)));
            }
        }
        FailurePolicy onFailure = node.containsKey("on_failure")
                ? failurePolicy(node.get("on_failure"), at.field("on_failure"))
                : new FailurePolicy.Fail();
        return new RewardConfig(scheme, shaping, onFailure);
    }

    private static SchemeSpec.Term term(Object value, ConfigLocation at) {
        Map<String, Object> node = at.mapping(value);
        at.requireOnly(node, TERM_KEYS);
        double weight = node.containsKey("weight") ? at.field("weight").number(node.get("weight")) : 1.0;
        return new SchemeSpec.Term(weight, spec(node, at));
    }

    private static SchemeSpec spec(Map<String, Object> node, ConfigLocation at) {
        List<String> kinds = SPEC_KINDS.stream().filter(node::containsKey).sorted().toList();
        if (kinds.size() != 1) {
            throw at.error(kinds.isEmpty()
                    ? "expected one of " + ConfigLocation.oneOf(SPEC_KINDS)
                    : "give only one of " + String.join(", ", kinds));
        }
        String kind = kinds.get(0);
        if (node.containsKey("params") && !kind.equals("scheme")) {
            throw at.field("params").error("params go with 'scheme:'; '" + kind + ":' takes its settings inline");
        }
        ConfigLocation where = at.field(kind);
        switch (kind) {
            case "scheme" -> {
                String name = where.text(node.get("scheme"));
                Map<String, Object> params = node.containsKey("params")
                        ? at.field("params").mapping(node.get("params"))
                        : Map.of();
                return new SchemeSpec.Named(name, params, at);
            }
            case "sum" -> {
                List<Object> items = where.list(node.get("sum"));
                if (items.isEmpty()) {
                    throw where.error("expected at least one term");
                }
                List<SchemeSpec.Term> terms = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    terms.add(term(items.get(i), where.item(i)));
                }
                return new SchemeSpec.Sum(terms, at);
            }
            default -> {
                return remote(node.get("remote"), where);
            }
        }
    }

    private static SchemeSpec.Remote remote(Object value, ConfigLocation at) {
        Map<String, Object> node = at.mapping(value);
        at.requireOnly(node, REMOTE_KEYS);
        if (!node.containsKey("url")) {
            throw at.error("missing 'url'");
        }
        URI url = url(node.get("url"), at.field("url"));
        Duration timeout = node.containsKey("timeout_ms")
                ? Duration.ofMillis(atLeast(1, node.get("timeout_ms"), at.field("timeout_ms")))
                : SchemeSpec.Remote.DEFAULT_TIMEOUT;
        int retries = node.containsKey("retries")
                ? atLeast(0, node.get("retries"), at.field("retries"))
                : SchemeSpec.Remote.DEFAULT_RETRIES;
        Duration backoff = node.containsKey("backoff_ms")
                ? Duration.ofMillis(atLeast(0, node.get("backoff_ms"), at.field("backoff_ms")))
                : SchemeSpec.Remote.DEFAULT_BACKOFF;
        return new SchemeSpec.Remote(url, timeout, retries, backoff, at);
    }

    private static URI url(Object value, ConfigLocation at) {
        String text = at.text(value);
        try {
            URI url = new URI(text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below, with the expectation
        }
        throw at.error("expected an http:// or https:// URL, got " + ConfigLocation.describe(value));
    }

    private static int atLeast(int minimum, Object value, ConfigLocation at) {
        int x = at.integer(value);
        if (x < minimum) {
            throw at.error("expected an integer >= " + minimum + ", got " + x);
        }
        return x;
    }

    private static FailurePolicy failurePolicy(Object value, ConfigLocation at) {
        Map<String, Object> node = at.mapping(value);
        at.requireOnly(node, FAILURE_KEYS);
        String policy = at.field("policy").text(node.get("policy"));
        switch (policy) {
            case "fail" -> {
                if (node.containsKey("value")) {
                    throw at.field("value").error("'fail' takes no value; use policy: penalty to pay one");
                }
                return new FailurePolicy.Fail();
            }
            case "penalty" -> {
                if (!node.containsKey("value")) {
                    throw at.error("policy 'penalty' needs a 'value': the reward paid for a failed rollout");
                }
                return new FailurePolicy.Penalty(at.field("value").number(node.get("value")));
            }
            default -> throw at.field("policy").error(
                    "expected fail or penalty, got " + ConfigLocation.describe(policy));
        }
    }

    /** The YAML tree as plain, unmodifiable Java values (see {@link ConfigLocation}). */
    private static Object plain(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return Collections.unmodifiableList(list);
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
