import logging
import threading
import time
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# one call of a scheduled job works about this long; the cron framework calls it again while
# work remains (_notify_progress)
JOB_CALL_SECONDS = 300
# a scheduled run that finds its job busy (a manual run holds it) runs again this much later
JOB_RETRY_MINUTES = 5
# the scheduled action of each long job: its row lock lets one run of the job write at a time
CRON_TIERS = 'custmgmt_addon.ir_cron_recompute_tiers'
CRON_COLLECTION = 'custmgmt_addon.ir_cron_collection'
CRON_VISITS = 'custmgmt_addon.ir_cron_plan_visits'
CRON_SURVEYS = 'custmgmt_addon.ir_cron_plan_surveys'


class CustmgmtJobRunner(models.AbstractModel):
    """The long jobs of the addon (tiers, collection, visits, surveys): one
    run of a job at a time, by its cron's row lock.

    While the cron worker runs a job it holds the job's ir_cron row
    (FOR NO KEY UPDATE, see ir.cron._acquire_one_job) and never starts a job
    whose row another transaction holds (SKIP LOCKED): the job stays due and
    runs at the worker's next poll. A manual run takes the same row lock
    (NOWAIT, as ir.cron.method_direct_trigger does) for its transaction, so
    a manual run during the scheduled one is refused, and the scheduled one
    waits for the manual one. The lock goes with the transaction: nothing to
    release, so a failure inside a run is reported as itself."""
    _name = 'custmgmt.job.runner'
    _description = "Customer Management: scheduled job runner"

    @api.model
    def _job_cron(self, cron_xmlid):
        """The job's scheduled action (empty if deleted); the xml id is cached."""
        return self.env['ir.cron'].browse(
            self.env['ir.model.data']._xmlid_to_res_id(cron_xmlid, raise_if_not_found=False))

    @api.model
    def _by_worker(self, cron):
        """Whether the cron worker runs ``cron`` in this call: it holds the
        row from its own transaction for the whole run (``cron_id`` in the
        context is how ``ir.cron._run_job`` tells the job)."""
        return bool(cron) and self.env.context.get('cron_id') == cron.id

    @api.model
    def _try_lock(self, cron_xmlid):
        """Take the row lock of the job's scheduled action for this
        transaction. False when another transaction (the cron worker running
        it, or another manual run) holds it."""
        cron = self._job_cron(cron_xmlid)
        if not cron or self._by_worker(cron):
            return True
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE NOWAIT", cron.id),
                                    log_exceptions=False)
        except psycopg2.errors.LockNotAvailable:
            return False
        return True

    @api.model
    def _lock(self, cron_xmlid):
        """Hold the job for this transaction, or refuse: another run has it."""
        if not self._try_lock(cron_xmlid):
            raise UserError(_(
                "“%(job)s” is running right now (the scheduled run or someone else's). "
                "Try again in a few minutes, when it is done.",
                job=self._job_cron(cron_xmlid).sudo().name))

    @api.model
    def _cron_start(self, cron_xmlid):
        """Start the scheduled action of a job. Returns None when the job is
        busy (a manual run holds it): the call writes nothing and the cron is
        triggered again JOB_RETRY_MINUTES later, so that the period is not
        lost. Otherwise returns whether to commit per batch: only when the
        cron worker runs the job (it keeps the row locked across commits; a
        direct call runs in one transaction that holds the lock)."""
        if not self._try_lock(cron_xmlid):
            cron = self._job_cron(cron_xmlid).sudo()
            _logger.info("Job %r is busy (a manual run holds it): it runs again in %s minutes.",
                         cron.name, JOB_RETRY_MINUTES)
            cron._trigger(at=fields.Datetime.now() + timedelta(minutes=JOB_RETRY_MINUTES))
            return None
        testing = getattr(threading.current_thread(), 'testing', False)
        return self._by_worker(self._job_cron(cron_xmlid)) and not testing

    @api.model
    def _cron_progress(self, cron_xmlid, done, remaining):
        """Report the call's progress to the cron framework, which calls the
        job again while work remains. A direct call (not by the worker) that
        left work triggers the cron to finish it."""
        self.env['ir.cron']._notify_progress(done=done, remaining=remaining)
        cron = self._job_cron(cron_xmlid)
        if remaining and cron and not self._by_worker(cron):
            cron.sudo()._trigger()

    @api.model
    def _run_companies(self, cron_xmlid, companies, plan, write, finish, batch_size, today=None,
                       auto_commit=False, max_seconds=None):
        """The run every company-wide engine shares (tiers, lifecycle): hold
        the job, then per company ``plan(company, today)`` gives ``(items,
        count)``, ``write(company, batch, today)`` writes each batch of
        ``batch_size`` items and ``finish(company, today, count)`` marks the
        company done. With ``auto_commit`` (the cron worker) each batch is
        committed, so an interrupted run resumes where it stopped: the engine
        plans only what still differs. Past ``max_seconds`` it stops between
        batches. Returns ``(done, remaining)``."""
        self._lock(cron_xmlid)
        companies = (companies or self.env['res.company'].search([])).sudo()
        started = time.monotonic()
        done = 0
        for index, company in enumerate(companies):
            run_today = today or fields.Date.context_today(company)
            items, count = plan(company, run_today)
            batches = list(split_every(batch_size, items, list))
            for number, batch in enumerate(batches, 1):
                write(company, batch, run_today)
                done += len(batch)
                if auto_commit:
                    self.env.cr.commit()
                if max_seconds is not None and time.monotonic() - started >= max_seconds \
                        and (number < len(batches) or index + 1 < len(companies)):
                    return done, sum(len(b) for b in batches[number:]) + len(companies) - index - 1
            finish(company, run_today, count)
            if auto_commit:
                self.env.cr.commit()
        return done, 0

    @api.model
    def _cron_call(self, cron_xmlid, run):
        """One call of a scheduled action by the cron worker (or directly):
        ``run(auto_commit=..., max_seconds=...)`` for about JOB_CALL_SECONDS,
        then the progress reported (the worker calls again while work remains)."""
        auto_commit = self._cron_start(cron_xmlid)
        if auto_commit is None:
            return
        done, remaining = run(auto_commit=auto_commit, max_seconds=JOB_CALL_SECONDS)
        self._cron_progress(cron_xmlid, done, remaining)

    @api.model
    def _cron_each_company(self, cron_xmlid, run_company):
        """One call of a scheduled action that works company by company
        (collection, warnings, evaluation): ``run_company(company,
        auto_commit=..., max_seconds=...)`` returns ``(done, remaining)`` and
        gets what is left of the call's JOB_CALL_SECONDS; the call stops at
        the first company that left work, and reports the progress (the worker
        calls again, and the next call finishes what this one left)."""
        auto_commit = self._cron_start(cron_xmlid)
        if auto_commit is None:
            return
        started = time.monotonic()
        done = remaining = 0
        companies = self.env['res.company'].sudo().search([])
        for index, company in enumerate(companies):
            budget = max(JOB_CALL_SECONDS - (time.monotonic() - started), 1)
            company_done, remaining = run_company(company, auto_commit=auto_commit, max_seconds=budget)
            done += company_done
            if remaining:
                remaining += len(companies) - index - 1
                break
        self._cron_progress(cron_xmlid, done, remaining)

    @api.model
    def _batch_done(self, done, remaining, auto_commit):
        """After each batch of a long job: commit it when the cron worker runs
        the job (``auto_commit``: a killed run resumes from here) and report
        the progress to the cron framework."""
        if auto_commit:
            self.env.cr.commit()
            self.env.invalidate_all()
        self.env['ir.cron']._notify_progress(done=done, remaining=remaining)

    @api.model
    def _run_each_company(self, cron_xmlid, run, **kwargs):
        """A daily service action over every company, as the scheduled action
        ``cron_xmlid``: ``run(company, auto_commit=..., **kwargs)`` returns how
        many records it made; each company is committed when the cron worker
        runs it. Returns the total (0 when the job was busy)."""
        auto_commit = self._cron_start(cron_xmlid)
        if auto_commit is None:
            return 0
        done = 0
        for company in self.env['res.company'].sudo().search([]):
            done += run(company, auto_commit=auto_commit, **kwargs)
            if auto_commit:
                self.env.cr.commit()
        self._cron_progress(cron_xmlid, done, 0)
        return done
