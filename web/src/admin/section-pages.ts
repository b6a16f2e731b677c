/** The page of each admin section, by its id in ADMIN_SECTIONS. */
import type { ComponentType } from 'preact';
import type { SectionProps } from './admin-app.tsx';

export const SECTION_PAGES: Record<string, ComponentType<SectionProps>> = {};
