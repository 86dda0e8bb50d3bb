import { casesPage } from './pages/cases';
import { catalogPage } from './pages/catalog';
import { headPage } from './pages/head';
import { instancePage } from './pages/instance';
import { notificationsPage } from './pages/notifications';
import { startPage } from './pages/start';
import { taskPage } from './pages/task';
import { tasksPage } from './pages/tasks';
import type { Page } from './router';

/** The app's pages by path: pattern, names of its captured parameters, page. */
export const routes: [RegExp, string[], Page][] = [
  [/^\/tasks$/, [], tasksPage],
  [/^\/tasks\/([^/]+)$/, ['id'], taskPage],
  [/^\/start$/, [], startPage],
  [/^\/start\/([^/]+)$/, ['key'], startPage],
  [/^\/instances$/, [], casesPage],
  [/^\/instances\/([^/]+)$/, ['id'], instancePage],
  [/^\/catalog$/, [], catalogPage],
  [/^\/catalog\/([^/]+)$/, ['key'], catalogPage],
  [/^\/head$/, [], headPage],
  [/^\/notifications$/, [], notificationsPage],
];
