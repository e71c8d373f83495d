package dev.carrot.policy.tensor;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class when {@code OPENBLAS_CORETYPE} forces a kernel family this CPU cannot run, before anything
 * loads OpenBLAS (which would die of an illegal instruction). The policy module's pom runs the engine's invariance
 * tests once per family; on a CPU without AVX-512 the SkylakeX run is skipped, not failed.
 */
public final class SupportedBlasFamily implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced == null || forced.isBlank()) {
            return ConditionEvaluationResult.enabled("OpenBLAS picks its own kernels");
        }
        return BlasFamily.named(forced)
                .filter(family -> !family.supportedBy(BlasFamily.cpuFlags()) && !BlasFamily.cpuFlags().isEmpty())
                .map(family -> ConditionEvaluationResult.disabled("this CPU cannot run OpenBLAS's " + forced
                        + " kernels"))
                .orElseGet(() -> ConditionEvaluationResult.enabled("kernels: " + forced));
    }
}
