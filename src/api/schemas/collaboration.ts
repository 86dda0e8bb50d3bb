/**
 * The shapes of assignment and comments (issue 17, points 2 and 3). This module imports zod only; the
 * web app takes its types from it.
 */
import { z } from 'zod';

const dateTime = z.string().meta({ format: 'date-time' });

/** The longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 4000;

export const CommentSchema = z
  .object({
    id: z.string(),
    processInstanceId: z.string(),
    taskId: z.string().nullable().meta({ description: 'The task it is on; null for a comment on the case' }),
    taskName: z.string().nullable().optional().meta({ description: "The task's name (comments listed on the case page)" }),
    user: z.string(),
    userName: z.string().meta({ description: "The author's display name" }),
    at: dateTime,
    text: z.string(),
  })
  .meta({ id: 'Comment' });

export const NewCommentBody = z.object(
  {
    text: z
      .string({ error: 'text must be a string' })
      .trim()
      .min(1, { error: 'text must not be empty' })
      .max(MAX_COMMENT_LENGTH, { error: `text must be at most ${MAX_COMMENT_LENGTH} characters` })
      .meta({ description: `The comment (1 to ${MAX_COMMENT_LENGTH} characters, blanks at either end dropped)` }),
  },
  { error: 'The body must be a JSON object { text }' },
);

/** A member of a group as a chooser shows them: no token, no hash. */
export const GroupMemberSchema = z.object({ id: z.string(), name: z.string(), groups: z.array(z.string()) }).meta({ id: 'GroupMember' });

export const TaskHoldersSchema = z
  .object({
    id: z.string(),
    assignee: z.string().nullable(),
    assigneeName: z.string().nullable(),
    owner: z.string().nullable().meta({ description: 'Who delegated it (Camunda owner)' }),
    ownerName: z.string().nullable(),
    delegationState: z.enum(['PENDING', 'RESOLVED']).nullable().meta({ description: "Camunda's delegationState: PENDING while the delegate holds it, RESOLVED once handed back" }),
  })
  .meta({ id: 'TaskHolders' });

export type Comment = z.infer<typeof CommentSchema>;
export type GroupMember = z.infer<typeof GroupMemberSchema>;
export type TaskHolders = z.infer<typeof TaskHoldersSchema>;
