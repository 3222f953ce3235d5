"""Every queue and task name. Task names are wire contracts: never rename them, even when code moves."""

from enum import StrEnum


class QueueName(StrEnum):
    SCREENING = "screening"            # new and edited posts: latency matters
    BULK = "screening.bulk"            # backfills and re-screens: never delays live posts
    WEBHOOKS = "outcomes.webhooks"     # deliveries to the backend's webhook, retried with backoff


class TaskName(StrEnum):
    SCREEN_BATCH = "modscreen.screen_batch"      # a list of revision ids (submit_many, the reconciler)
    SCREEN_POST = "modscreen.screen_post"        # one revision id; the worker gathers these into batches
    DELIVER_WEBHOOK = "modscreen.deliver_webhook"
    RECONCILE = "modscreen.reconcile"
    PURGE = "modscreen.purge"
