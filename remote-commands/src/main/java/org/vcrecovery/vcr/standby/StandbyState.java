package org.vcrecovery.vcr.standby;

/**
 * The state of a standby as its backend reports it.
 *
 * <p>{@link #RUNNING}: started (the service may still be starting: check its port).
 * {@link #PAUSED}: frozen or suspended in memory; {@link StandbyBackend#start} resumes it.
 * {@link #STOPPED}: defined but not running; {@link StandbyBackend#start} boots it.
 * {@link #ABSENT}: the backend does not know the target. {@link #UNKNOWN}: anything else
 * (starting, stopping, crashed, a state this code does not know).
 */
public enum StandbyState {
    RUNNING,
    PAUSED,
    STOPPED,
    ABSENT,
    UNKNOWN
}
