package org.vcrecovery.listener.spool;

/**
 * A place in the spool: a segment number and a byte offset inside it. Ordered the way
 * records were appended.
 */
public record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {
    public static final SpoolPosition START = new SpoolPosition(0, 0);

    public SpoolPosition {
        if (segment < 0) throw new IllegalArgumentException("segment < 0: " + segment);
        if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
    }

    @Override
    public int compareTo(SpoolPosition o) {
        int c = Long.compare(segment, o.segment);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    public static SpoolPosition min(SpoolPosition a, SpoolPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return segment + ":" + offset;
    }
}
