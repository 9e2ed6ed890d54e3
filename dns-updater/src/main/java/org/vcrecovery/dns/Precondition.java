package org.vcrecovery.dns;

import java.util.List;
import java.util.Objects;

/**
 * What must be true of the current records for an update to apply: the compare part of
 * compare-and-swap, sent as RFC 2136 prerequisites in the same message as the change.
 *
 * <ul>
 *   <li>{@link Kind#NONE}: replace whatever is there.
 *   <li>{@link Kind#EXPECT_VALUES}: the RRset must hold exactly these values ("RRset exists,
 *       value dependent", RFC 2136 2.4.2); otherwise the server answers NXRRSET.
 *   <li>{@link Kind#EXPECT_ABSENT}: no RRset of the type may exist ("RRset does not exist",
 *       2.4.3); otherwise the server answers YXRRSET.
 * </ul>
 * Values are checked and normalised by {@link DnsChange}, which knows the type and zone.
 */
public record Precondition(Kind kind, List<String> values) {
    private static final Precondition NONE = new Precondition(Kind.NONE, List.of());
    private static final Precondition ABSENT = new Precondition(Kind.EXPECT_ABSENT, List.of());

    /** The kinds of precondition. */
    public enum Kind { NONE, EXPECT_VALUES, EXPECT_ABSENT }

    public Precondition {
        Objects.requireNonNull(kind, "precondition kind == null");
        Objects.requireNonNull(values, "precondition values == null");
        values = List.copyOf(values);
        if (kind == Kind.EXPECT_VALUES && values.isEmpty()) {
            throw new IllegalArgumentException("expect: at least one expected current value is required");
        }
        if (kind != Kind.EXPECT_VALUES && !values.isEmpty()) {
            throw new IllegalArgumentException("expect: values are only allowed with EXPECT_VALUES, not " + kind);
        }
    }

    /** No precondition: overwrite. */
    public static Precondition none() {
        return NONE;
    }

    /** The RRset must currently hold exactly {@code current}. */
    public static Precondition expect(List<String> current) {
        return new Precondition(Kind.EXPECT_VALUES, current);
    }

    /** The RRset must currently hold exactly {@code current}. */
    public static Precondition expect(String... current) {
        return expect(List.of(current));
    }

    /** No RRset of the change's type may exist at the name. */
    public static Precondition absent() {
        return ABSENT;
    }
}
