/**
 * The shape of an attachment (issue 17, point 4). This module imports zod only; the web app takes its
 * types from it.
 */
import { z } from 'zod';

export const AttachmentSchema = z
  .object({
    id: z.string(),
    name: z.string().meta({ description: 'The file name, sanitised (no path, no control characters)' }),
    mediaType: z.string().meta({ description: 'The type told by the content: application/pdf, image/jpeg, image/png or image/tiff' }),
    size: z.number().int().meta({ description: 'Bytes' }),
    sha256: z.string().meta({ description: 'Hex SHA-256 of the bytes' }),
    uploadedBy: z.string(),
    uploadedByName: z.string().meta({ description: "The uploader's display name" }),
    uploadedAt: z.string().meta({ format: 'date-time' }),
    processInstanceId: z.string(),
    taskId: z.string().meta({ description: 'The task that added it' }),
    taskDefinitionKey: z.string().meta({ description: 'The step (user task element) that added it' }),
    taskName: z.string().nullable(),
    download: z.string().meta({ description: 'Path of its content under the server (GET, with Content-Disposition)' }),
  })
  .meta({ id: 'Attachment' });

export type Attachment = z.output<typeof AttachmentSchema>;
