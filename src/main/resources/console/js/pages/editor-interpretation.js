// The interpretation editor (#/interpretations/:id, "new" for a new one): see editor.js.
import { editorPage } from './editor.js';

export default editorPage('interpretation');
