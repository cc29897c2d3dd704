import { Module } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';

/** Working-day calendar for service-standard deadlines. Needs ConfigService from the application (global provider). */
@Module({
  providers: [CalendarService],
  exports: [CalendarService],
})
export class ServiceStandardModule {}
