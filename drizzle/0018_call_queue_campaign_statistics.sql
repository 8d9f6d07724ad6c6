-- A campaign's rows all carry its owner's user_id (enqueue.ts), so the planner,
-- multiplying the two conditions' selectivities, took "this user's rows of this
-- campaign" for a few hundred and sorted them all by bitmap instead of walking
-- call_queue_due_idx in order for the first 50 (the campaign page's queue).
-- Functional-dependency statistics tell it the campaign decides the user.
CREATE STATISTICS IF NOT EXISTS call_queue_campaign_user (dependencies)
  ON campaign_id, user_id FROM call_queue;
