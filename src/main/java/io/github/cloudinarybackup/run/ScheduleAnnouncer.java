package io.github.cloudinarybackup.run;

import java.io.PrintStream;
import java.text.ParseException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronExpression;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduled daemon's line saying when its next backup is, so that its log shows it is alive: once
 * at start, then after each run.
 */
public final class ScheduleAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleAnnouncer.class);

  /** The trigger of routes/backup.yaml's quartz:cloudinary-backup/scheduled. */
  private static final String SCHEDULED_GROUP = "cloudinary-backup";

  private static final String SCHEDULED_TRIGGER = "scheduled";

  private final BackupSession session;
  private final PrintStream out;

  public ScheduleAnnouncer(BackupSession session, PrintStream out) {
    this.session = session;
    this.out = out;
  }

  /**
   * At start: when the first backup is; unless the scheduler has fired it already (it may fire one
   * just past at once), in which case that run's end says when the next is.
   */
  public void announceFirstRun(Exchange exchange) {
    Trigger trigger = scheduledTrigger(exchange.getContext());
    Date next = trigger == null ? null : trigger.getNextFireTime();
    // read after the next firing: a firing between the two reads shows here
    if (trigger != null && trigger.getPreviousFireTime() != null) {
      return;
    }
    announce(next);
  }

  /** After each run: when the next backup is. */
  public void announceNextRun(Exchange exchange) {
    Trigger trigger = scheduledTrigger(exchange.getContext());
    announce(trigger == null ? null : trigger.getNextFireTime());
  }

  /** One line with the next firing: the scheduler's own, else the cron's next time from now. */
  private void announce(Date scheduled) {
    String cron = session.config().schedule();
    if (cron.isEmpty()) {
      return;
    }
    Date next = scheduled;
    try {
      if (next == null) {
        next = new CronExpression(cron).getNextValidTimeAfter(new Date());
      }
    } catch (ParseException e) {
      LOG.debug("cannot read the schedule {}: {}", cron, e.getMessage());
    }
    if (next != null) {
      out.println(
          "Next backup at "
              + next.toInstant()
                  .atZone(ZoneId.systemDefault())
                  .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              + " (backup.schedule="
              + cron
              + ")");
      out.flush();
    }
  }

  /** The trigger of the backup-scheduled route, or null before it is scheduled. */
  private static Trigger scheduledTrigger(CamelContext context) {
    try {
      QuartzComponent quartz =
          context.getComponent("quartz", false) instanceof QuartzComponent q ? q : null;
      if (quartz == null || quartz.getScheduler() == null) {
        return null;
      }
      return quartz
          .getScheduler()
          .getTrigger(TriggerKey.triggerKey(SCHEDULED_TRIGGER, SCHEDULED_GROUP));
    } catch (SchedulerException | RuntimeException e) {
      LOG.debug("cannot ask the scheduler for its next firing: {}", e.getMessage());
      return null;
    }
  }
}
