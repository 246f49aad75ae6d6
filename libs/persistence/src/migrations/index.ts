import { CreateMessagePipeline1763870400000 } from './1763870400000-create-message-pipeline';
import { CreateClassifier1763956800000 } from './1763956800000-create-classifier';

/** Listed explicitly: no glob loading, so the compiled app and the tests run the same set. */
export const MIGRATIONS = [CreateMessagePipeline1763870400000, CreateClassifier1763956800000];
