// The post editor (#/posts/:id, "new" for a new one): see editor.js.
import { editorPage } from './editor.js';

export default editorPage('post');
