/** `POST /api/v1/engagements/:id/comments`: stored; nothing about the citizen is returned. */
export interface CommentAccepted {
  id: string;
}

/** `POST /api/v1/engagements/:id/comments/:commentId/reports`. */
export interface CommentReported {
  /** False when this citizen had already reported the comment: counted once. */
  counted: boolean;
  /** The comment is hidden now (by this report or before). */
  hidden: boolean;
}

/** A comment as moderators see it: never the citizen's id nor its hash. */
export interface ModeratedComment {
  id: string;
  sectionId: string | null;
  sectionTitle: string | null;
  parentId: string | null;
  /** «Участник N»: the same N for one author's comments on this engagement, numbered by first comment. */
  author: string;
  text: string;
  status: 'visible' | 'hidden';
  statusTitle: string;
  hiddenReason: string | null;
  /** A login, or `system:engagements` when hidden by reports. */
  hiddenBy: string | null;
  hiddenAt: string | null;
  reports: number;
  createdAt: string;
  replies: ModeratedComment[];
}

/** `GET /api/v1/engagements/:id/comments`: the whole thread, oldest first at each level. */
export interface ModeratedComments {
  items: ModeratedComment[];
  total: number;
  hidden: number;
}
