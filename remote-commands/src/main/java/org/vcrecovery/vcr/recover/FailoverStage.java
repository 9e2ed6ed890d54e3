package org.vcrecovery.vcr.recover;

import java.util.ArrayList;
import java.util.List;

/**
 * The failover itself: the primary is fenced ({@link FenceStage}) while the standbys are tried
 * ({@link StandbyStage}), and the run goes on to DNS only when both succeeded. A fence that
 * fails for good stops the standby attempts and puts back the standby this run brought up
 * (FENCING_FAILED: the fence decides the code even when no standby passed); no standby passing
 * is SERVICE_DOWN. On success the chosen standby is in the run's holder.
 */
final class FailoverStage {
    private FailoverStage() {}

    static Verdict run(RunContext ctx) {
        StepRunner.Running fence = FenceStage.start(ctx);
        List<String> failures = new ArrayList<>();
        StandbyStage.Up up = StandbyStage.bringUp(ctx, () -> FenceStage.failedForGood(ctx, fence), failures);
        Verdict fenced = FenceStage.finish(ctx, fence);
        if (fenced.stops()) {
            if (up != null) StandbyStage.putBack(ctx, up);
            return fenced;
        }
        if (up == null) return StandbyStage.none(failures);
        StandbyStage.choose(ctx, up);
        return Verdict.CONTINUE;
    }
}
