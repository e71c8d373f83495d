package dev.carrot.rewards.grading;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfidenceStatementTest {

    @Test
    void readsProbabilitiesAndPercentages() {
        assertEquals(0.8, ConfidenceStatement.find("Paris. Confidence: 0.8").orElseThrow().confidence(), 1e-12);
        assertEquals(0.8, ConfidenceStatement.find("Paris.\nconfidence 80%").orElseThrow().confidence(), 1e-12);
        assertEquals(0.75, ConfidenceStatement.find("Paris (CONFIDENCE=75)").orElseThrow().confidence(), 1e-12);
        assertEquals(0.05, ConfidenceStatement.find("Confidence: .05. Paris.").orElseThrow().confidence(), 1e-12);
        assertEquals(1.0, ConfidenceStatement.find("Paris. Confidence: 150%").orElseThrow().confidence());
    }

    @Test
    void remainderIsTheCompletionWithoutTheStatement() {
        assertEquals("Paris. .", ConfidenceStatement.find("Paris. Confidence: 0.9.").orElseThrow().remainder());
    }

    @Test
    void absentWhenNoNumberIsStated() {
        assertTrue(ConfidenceStatement.find("Paris.").isEmpty());
        assertTrue(ConfidenceStatement.find("I have confidence in Paris.").isEmpty());
    }
}
