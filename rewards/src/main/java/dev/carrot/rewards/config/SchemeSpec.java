package dev.carrot.rewards.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reward section (or one term of a sum) asks for: a scheme by name, a weighted sum of schemes, or a remote
 * endpoint. Each remembers where it was declared, so that errors found when the scheme is built still name the
 * file and field.
 */
public sealed interface SchemeSpec permits SchemeSpec.Named, SchemeSpec.Sum, SchemeSpec.Remote {

    /** Where this spec was declared. */
    ConfigLocation location();

    /**
     * A scheme looked up by name among the built-in and plugin schemes ({@code scheme: calibration}).
     *
     * @param scheme the registered name
     * @param params its parameters as written under {@code params:}, checked by the scheme when it is built
     */
    record Named(String scheme, Map<String, Object> params, ConfigLocation location) implements SchemeSpec {
        public Named {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(location, "location");
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    /** A weighted sum of schemes ({@code sum: [{scheme: a, weight: 0.7}, ...]}); at least one term. */
    record Sum(List<Term> terms, ConfigLocation location) implements SchemeSpec {
        public Sum {
            terms = List.copyOf(terms);
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("a sum needs at least one term");
            }
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * A user's HTTP endpoint that scores batches ({@code remote: {url: ..., timeout_ms: ..., retries: ...}}).
     *
     * @param url     where batches are POSTed
     * @param timeout how long one attempt may take, connection included; default 10 s
     * @param retries further attempts after a timeout, a connection failure or an HTTP 5xx/429 answer; default 2
     * @param backoff the wait before the first retry, doubled before each further one; default 200 ms
     */
    record Remote(URI url, Duration timeout, int retries, Duration backoff, ConfigLocation location)
            implements SchemeSpec {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_RETRIES = 2;
        public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);

        public Remote {
            Objects.requireNonNull(url, "url");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be >= 0, got " + retries);
            }
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must be >= 0, got " + backoff);
            }
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * One term of a sum, or a shaping term.
     *
     * @param weight the factor the term's reward is multiplied by; default 1
     */
    record Term(double weight, SchemeSpec scheme) {
        public Term {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight must be a finite number, got " + weight);
            }
            Objects.requireNonNull(scheme, "scheme");
        }
    }
}
